package io.nlstream.netlink;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

import static io.nlstream.netlink.AttributePolicy.ADDRESS;
import static io.nlstream.netlink.AttributePolicy.ANY;
import static io.nlstream.netlink.AttributePolicy.CHECKED;
import static io.nlstream.netlink.AttributePolicy.HOOK;
import static io.nlstream.netlink.AttributePolicy.NESTED;
import static io.nlstream.netlink.AttributePolicy.NUL_STRING;
import static io.nlstream.netlink.AttributePolicy.kind;
import static io.nlstream.netlink.AttributePolicy.max;
import static io.nlstream.netlink.AttributePolicy.min;

/**
 * Writes the walk of every {@link Walked} policies class: for {@code XPolicies}, a class {@code XWalk} in the same
 * package whose methods check a message's attributes against the declared policies and fill a {@link Nest}, one
 * method for each policy field that no other policy nests.
 * <p>
 * Run by javac as an annotation processor when netlink's main sources are compiled. It loads the policies classes
 * themselves, compiled just before with it (the {@code walkgen} execution of netlink/pom.xml), and reads the
 * policies as data: javac sees the annotated class, this sees the values its fields hold.
 * <p>
 * Per level it writes the methods the level needs:
 * <ul>
 * <li>{@code w_L} fills the level's table and enters each declared nest where it meets it, depth first, so that a
 * refusal is the first one in the message's order, as the kernel's and libmnl's walks find it;</li>
 * <li>{@code c_L} only checks (a nest declared {@code checked}, and the nests inside it);</li>
 * <li>{@code z_L} empties a filled level's tree when the message lacks it.</li>
 * </ul>
 * Each level's loop is a {@code switch} over the declared types with each rule's sizes written in as constants:
 * the code a hand walk has, declared once.
 * <p>
 * A hook rule ({@link AttributePolicy.Builder#hook}) becomes a call, after its size check and its offset's record,
 * of {@code protected abstract boolean NAME(int payload, int length)}, declared once per distinct name; the class
 * is then {@code abstract}, for a subclass written by hand beside the decoder. A walk without hooks is a
 * {@code final} class, as before hooks were.
 */
public final class WalkProcessor extends AbstractProcessor
{
    // the address families an address rule knows (linux/socket.h)
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    @Override
    public Set<String> getSupportedAnnotationTypes()
    {
        return Set.of(Walked.class.getName());
    }

    @Override
    public SourceVersion getSupportedSourceVersion()
    {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(final Set<? extends TypeElement> annotations, final RoundEnvironment round)
    {
        for (final Element element : round.getElementsAnnotatedWith(Walked.class))
        {
            if (!(element instanceof TypeElement))
            {
                continue;
            }
            final TypeElement type = (TypeElement)element;
            final String binary = processingEnv.getElementUtils().getBinaryName(type).toString();
            final String simple = type.getSimpleName().toString();
            if (!simple.endsWith("Policies") || simple.equals("Policies"))
            {
                error(type, "@Walked class " + binary + ": its name must end in Policies (XPolicies makes XWalk)");
                continue;
            }
            final Class<?> policies;
            try
            {
                policies = Class.forName(binary, true, WalkProcessor.class.getClassLoader());
            }
            catch (final ClassNotFoundException | LinkageError e)
            {
                error(type, "@Walked class " + binary + " could not be loaded by the walk generator (" + e
                    + "): netlink/pom.xml's walkgen execution compiles **/*Policies.java first, with what they use");
                continue;
            }
            final String walk = simple.substring(0, simple.length() - "Policies".length()) + "Walk";
            final String pkg = binary.substring(0, binary.lastIndexOf('.'));
            try
            {
                final String source = new Source(policies, pkg, walk).source();
                try (java.io.Writer out = processingEnv.getFiler().createSourceFile(pkg + "." + walk, type)
                    .openWriter())
                {
                    out.write(source);
                }
            }
            catch (final IOException | IllegalArgumentException | IllegalAccessException e)
            {
                error(type, "@Walked class " + binary + ": cannot write " + walk + ": " + e);
            }
        }
        return true;
    }

    private void error(final Element element, final String message)
    {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, element);
    }

    /**
     * The source of one walk class.
     */
    static final class Source
    {
        private final Class<?> policies;
        private final String pkg;
        private final String walk;
        // every level reachable from the class's fields, in the order met; named after its field when it has one
        private final Map<AttributePolicy, String> names = new IdentityHashMap<>();
        private final List<AttributePolicy> levels = new ArrayList<>();
        private final Map<String, AttributePolicy> roots = new LinkedHashMap<>();
        private final StringBuilder out = new StringBuilder();
        // some rule is an address of the message's family: every walk then carries the address length it implies
        private boolean family;
        // each hook's name and where the walk calls it ("type 18 of TOP (RTA_*)"), in the order met
        private final Map<String, List<String>> hooks = new LinkedHashMap<>();

        Source(final Class<?> policies, final String pkg, final String walk) throws IllegalAccessException
        {
            this.policies = policies;
            this.pkg = pkg;
            this.walk = walk;
            for (final Field field : policies.getDeclaredFields())
            {
                if (field.getType() == AttributePolicy.class && Modifier.isStatic(field.getModifiers())
                    && Modifier.isFinal(field.getModifiers()))
                {
                    field.setAccessible(true);
                    final AttributePolicy policy = (AttributePolicy)field.get(null);
                    if (policy == null)
                    {
                        throw new IllegalArgumentException(field.getName() + " is null");
                    }
                    roots.put(field.getName(), policy);
                    names.putIfAbsent(policy, field.getName());
                }
            }
            if (roots.isEmpty())
            {
                throw new IllegalArgumentException("no static final AttributePolicy field");
            }
            for (final AttributePolicy root : roots.values())
            {
                collect(root, 0);
            }
            for (final AttributePolicy level : levels)
            {
                for (int type = 1; type < level.rules.length; type++)
                {
                    family |= kind(level.rules[type]) == ADDRESS;
                    if (kind(level.rules[type]) == HOOK)
                    {
                        hooks.computeIfAbsent(level.hooks[type], h -> new ArrayList<>())
                            .add("type " + type + " of " + names.get(level) + " (" + javadoc(level.toString()) + ")");
                    }
                }
            }
            // a public walk for each level no other one holds: the message's top levels
            roots.values().removeIf(policy -> levels.stream().anyMatch(level -> Arrays.asList(level.children).contains(policy)));
            for (final String hook : hooks.keySet())
            {
                if (!SourceVersion.isName(hook) || roots.containsKey(hook) || hook.matches("[wcz]_.*")
                    || Set.of("error", "errorOffset", "open", "refuse", "view").contains(hook)
                    || Arrays.stream(Object.class.getDeclaredMethods()).anyMatch(m -> m.getName().equals(hook)))
                {
                    throw new IllegalArgumentException("hook " + hook + " (" + String.join(", ", hooks.get(hook))
                        + "): not a name the walk can give a method of its own");
                }
            }
        }

        private void collect(final AttributePolicy policy, final int depth)
        {
            if (depth > 16)
            {
                throw new IllegalArgumentException(policy + ": nests more than 16 levels deep");
            }
            if (levels.stream().anyMatch(l -> l == policy))
            {
                return;
            }
            levels.add(policy);
            names.putIfAbsent(policy, "L" + levels.size());
            for (final AttributePolicy child : policy.children)
            {
                if (child != null)
                {
                    collect(child, depth + 1);
                }
            }
        }

        String source()
        {
            line(0, "package " + pkg + ";");
            line(0, "");
            line(0, "import io.nlstream.netlink.AttributeIterator;");
            line(0, "import io.nlstream.netlink.ByteView;");
            line(0, "import io.nlstream.netlink.Nest;");
            line(0, "import io.nlstream.netlink.Walk;");
            line(0, "");
            line(0, "import java.nio.ByteBuffer;");
            line(0, "");
            line(0, "/**");
            line(0, " * The attribute walks of {@link " + policies.getSimpleName() + "}, generated from its policies by");
            line(0, " * io.nlstream.netlink.WalkProcessor at build time: do not edit. Each public method checks a");
            line(0, " * message's attributes against the policy of its name and fills a {@link Nest} made by");
            line(0, " * {@code Nest.of} of that policy. False leaves the refusal in {@link #error()} at");
            line(0, " * {@link #errorOffset()} and every table empty. Not thread safe.");
            if (!hooks.isEmpty())
            {
                line(0, " * <p>");
                line(0, " * Abstract: a subclass implements the hooks the policies name, which the walks call in the");
                line(0, " * message's order, as they check every other attribute.");
            }
            line(0, " */");
            line(0, "@javax.annotation.processing.Generated(\"io.nlstream.netlink.WalkProcessor\")");
            line(0, (hooks.isEmpty() ? "final" : "abstract") + " class " + walk + " extends Walk");
            line(0, "{");
            for (final Map.Entry<String, AttributePolicy> root : roots.entrySet())
            {
                entry(root.getKey(), root.getValue());
            }
            for (final Map.Entry<String, List<String>> hook : hooks.entrySet())
            {
                hook(hook.getKey(), hook.getValue());
            }
            // what each level needs: a fill (and an emptying) when a fill enters it, a check when it is checked in place
            final Set<AttributePolicy> filled = Collections.newSetFromMap(new IdentityHashMap<>());
            final Set<AttributePolicy> checked = Collections.newSetFromMap(new IdentityHashMap<>());
            roots.values().forEach(root -> reach(root, true, filled, checked));
            for (final AttributePolicy level : levels)
            {
                if (filled.contains(level))
                {
                    walk(level, true);
                    clear(level);
                }
                if (checked.contains(level))
                {
                    walk(level, false);
                }
            }
            line(0, "}");
            return out.toString();
        }

        private static void reach(final AttributePolicy policy, final boolean fill, final Set<AttributePolicy> filled,
            final Set<AttributePolicy> checked)
        {
            if (!(fill ? filled : checked).add(policy))
            {
                return;
            }
            for (int type = 1; type < policy.children.length; type++)
            {
                if (policy.children[type] != null)
                {
                    reach(policy.children[type], fill && entered(policy, type), filled, checked);
                }
            }
        }

        private void entry(final String name, final AttributePolicy policy)
        {
            line(0, "");
            line(1, "/**");
            line(1, " * The attributes in {@code [start, start + length)} of {@code buf} against {@code "
                + policies.getSimpleName() + "." + name + "} (" + javadoc(policy.toString()) + ").");
            line(1, " */");
            line(1, "boolean " + name + "(final ByteBuffer buf, final int start, final int length, final Nest nest"
                + (family ? ", final int family)" : ")"));
            line(1, "{");
            if (family)
            {
                line(2, "// an address attribute's nla_len in this family, -1 for any");
                line(2, "final int address = family == " + AF_INET + " ? 8 : family == " + AF_INET6 + " ? 20 : -1;");
            }
            line(2, "if (open(buf, start, length, nest) && w_" + names.get(policy) + "(start, start + length, nest"
                + (family ? ", address))" : "))"));
            line(2, "{");
            line(3, "return true;");
            line(2, "}");
            line(2, "nest.clear();");
            line(2, "return false;");
            line(1, "}");
        }

        /**
         * The declaration of one hook.
         */
        private void hook(final String name, final List<String> where)
        {
            line(0, "");
            line(1, "/**");
            line(1, " * Called by the walks where they meet an attribute of " + String.join(" or ", where) + ":");
            line(1, " * in the message's order, once the attribute's size passed its rule and its offset is recorded.");
            line(1, " *");
            line(1, " * @param payload the buffer index of the attribute's payload");
            line(1, " * @param length the payload's length");
            line(1, " * @return true to go on; false after {@link #refuse} (the walk returns false at once)");
            line(1, " */");
            line(1, "protected abstract boolean " + name + "(int payload, int length);");
        }

        /**
         * {@code w_L} (fill) or {@code c_L} (check only) of one level.
         */
        private void walk(final AttributePolicy policy, final boolean fill)
        {
            final String name = names.get(policy);
            final long[] rules = policy.rules;
            final List<Integer> nests = new ArrayList<>();
            for (int type = 1; type < rules.length; type++)
            {
                if (fill && entered(policy, type))
                {
                    nests.add(type);
                }
            }
            line(0, "");
            line(1, "// " + javadoc(policy.toString()) + (fill ? ": fill" : ": check only"));
            line(1, "private boolean " + (fill ? "w_" : "c_") + name + "(final int start, final int end"
                + (fill ? ", final Nest nest" : "") + (family ? ", final int address)" : ")"));
            line(1, "{");
            if (fill)
            {
                line(2, "final int[] at = nest.at;");
                line(2, "at[0] = 0;");
                for (int type = 1; type < rules.length; type++)
                {
                    if (policy.declared[type])
                    {
                        line(2, "at[" + type + "] = -1;");
                    }
                }
                for (final int type : nests)
                {
                    line(2, "boolean seen" + type + " = false;");
                }
            }
            line(2, "final ByteView view = this.view;");
            line(2, "int pos = start;");
            line(2, "for (int remaining = end - pos; remaining >= 4; remaining = end - pos)");
            line(2, "{");
            line(3, "final int header = view.i32(pos);");
            line(3, "final int len = AttributeIterator.lenOf(header);");
            line(3, "if (len < 4)");
            line(3, "{");
            line(4, "return refuse(" + literal(AttributeIterator.ERR_SHORT_ATTRIBUTE) + ", pos);");
            line(3, "}");
            line(3, "if (len > remaining)");
            line(3, "{");
            line(4, "return refuse(" + literal(AttributeIterator.ERR_LENGTH_PAST_END) + ", pos);");
            line(3, "}");
            line(3, "switch (AttributeIterator.typeOf(header))");
            line(3, "{");
            for (int type = 1; type < rules.length; type++)
            {
                final long rule = rules[type];
                if (!policy.declared[type])
                {
                    continue;
                }
                final boolean stored = fill;
                final String check = check(rule);
                final String store = stored ? "at[" + type + "] = pos + 4;" : null;
                final AttributePolicy child = policy.children[type];
                final String hook = kind(rule) == HOOK ? policy.hooks[type] : null;
                if (check == null && !stored && child == null && hook == null)
                {
                    continue;
                }
                line(4, "case " + type + ":");
                line(5, "// " + describe(rule) + (hook != null ? ", then " + hook + "()" : ""));
                if (check != null)
                {
                    line(5, "if (" + check + ")");
                    line(5, "{");
                    line(6, "return refuse(" + literal(policy.errors[type]) + ", pos);");
                    line(5, "}");
                }
                if (store != null)
                {
                    line(5, store);
                }
                if (hook != null)
                {
                    line(5, "if (!" + hook + "(pos + 4, len - 4))");
                    line(5, "{");
                    line(6, "return false;");
                    line(5, "}");
                }
                if (child != null)
                {
                    final boolean enter = fill && entered(policy, type);
                    line(5, "if (!" + (enter ? "w_" : "c_") + names.get(child) + "(pos + 4, pos + len"
                        + (enter ? ", nest.nests[" + type + "]" : "") + (family ? ", address))" : "))"));
                    line(5, "{");
                    line(6, "return false;");
                    line(5, "}");
                    if (enter)
                    {
                        line(5, "seen" + type + " = true;");
                    }
                }
                line(5, "break;");
            }
            line(4, "default:");
            line(5, "// not declared: a newer kernel's, skipped");
            line(5, "break;");
            line(3, "}");
            line(3, "// the last attribute may lack its padding: then pos passes end, and the loop ends");
            line(3, "pos += (len + 3) & ~3;");
            line(2, "}");
            line(2, "if (pos < end)");
            line(2, "{");
            line(3, "return refuse(" + literal(AttributeIterator.ERR_TRAILING_BYTES) + ", pos);");
            line(2, "}");
            for (final int type : nests)
            {
                line(2, "if (!seen" + type + ")");
                line(2, "{");
                line(3, "z_" + names.get(policy.children[type]) + "(nest.nests[" + type + "]);");
                line(2, "}");
            }
            line(2, "return true;");
            line(1, "}");
        }

        /**
         * {@code z_L}: empties a level's table and those inside it, one read when it is empty already.
         */
        private void clear(final AttributePolicy policy)
        {
            final long[] rules = policy.rules;
            line(0, "");
            line(1, "private static void z_" + names.get(policy) + "(final Nest nest)");
            line(1, "{");
            line(2, "final int[] at = nest.at;");
            line(2, "if (at[0] < 0)");
            line(2, "{");
            line(3, "return;");
            line(2, "}");
            line(2, "at[0] = -1;");
            for (int type = 1; type < rules.length; type++)
            {
                if (policy.declared[type])
                {
                    line(2, "at[" + type + "] = -1;");
                }
            }
            for (int type = 1; type < rules.length; type++)
            {
                if (entered(policy, type))
                {
                    line(2, "z_" + names.get(policy.children[type]) + "(nest.nests[" + type + "]);");
                }
            }
            line(1, "}");
        }

        /** A nest the fill enters and keeps a table for: declared nested, with a policy inside. */
        private static boolean entered(final AttributePolicy policy, final int type)
        {
            return kind(policy.rules[type]) == NESTED && policy.children[type] != null;
        }

        /**
         * @return the condition on {@code len} (the attribute's length with its header) and {@code pos} under which
         * the attribute breaks its rule, or null when any attribute passes
         */
        private static String check(final long rule)
        {
            final int min = min(rule);
            final int max = max(rule);
            switch (kind(rule))
            {
                case NESTED:
                case CHECKED:
                    // empty, or holding at least one attribute header
                    return "len != 4 && len < 8";
                case NUL_STRING:
                    return "len == 4 || view.u8(pos + len - 1) != 0";
                case ADDRESS:
                    return "address >= 0 && len != address";
                case ANY:
                    return null;
                default:
                    if (min == max)
                    {
                        return "len != " + (4 + min);
                    }
                    if (min == 0 && max == 0xFFFF)
                    {
                        return null;
                    }
                    if (min == 0)
                    {
                        return "len > " + (4 + max);
                    }
                    return max == 0xFFFF ? "len < " + (4 + min) : "len < " + (4 + min) + " || len > " + (4 + max);
            }
        }

        private static String describe(final long rule)
        {
            switch (kind(rule))
            {
                case NESTED:
                    return "nested";
                case CHECKED:
                    return "nested, checked in place";
                case NUL_STRING:
                    return "NUL-terminated string";
                case ADDRESS:
                    return "an address of the message's family";
                case ANY:
                    return "any size";
                default:
                    if (kind(rule) == HOOK && min(rule) == 0 && max(rule) == 0xFFFF)
                    {
                        return "any size";
                    }
                    return min(rule) == max(rule) ? min(rule) + " bytes" : min(rule) + ".." + max(rule) + " bytes";
            }
        }

        private static String javadoc(final String text)
        {
            return text.replace("*/", "*&#47;").replace("\n", " ");
        }

        static String literal(final String text)
        {
            if (text == null)
            {
                throw new IllegalArgumentException("a rule without an error message");
            }
            final StringBuilder s = new StringBuilder("\"");
            for (int i = 0; i < text.length(); i++)
            {
                final char c = text.charAt(i);
                if (c == '"' || c == '\\')
                {
                    s.append('\\').append(c);
                }
                else if (c < 0x20 || c > 0x7e)
                {
                    s.append(String.format("\\u%04x", (int)c));
                }
                else
                {
                    s.append(c);
                }
            }
            return s.append('"').toString();
        }

        private void line(final int indent, final String text)
        {
            if (!text.isEmpty())
            {
                out.append("    ".repeat(indent)).append(text);
            }
            out.append('\n');
        }
    }
}
