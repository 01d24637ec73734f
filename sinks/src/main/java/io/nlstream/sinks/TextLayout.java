package io.nlstream.sinks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How the text format lays out the line of one kind of event, after its time, kind, op and namespace: a
 * sequence of tokens over the fields the event writes, named by their path as the {@code kv} format names
 * them ({@code orig.src}, {@code counters.orig_packets}). A value token prints a field's value with words
 * around it ({@code mtu 1500}, {@code src=10.0.0.1}, {@code <UP,LOWER_UP>}); a literal prints fixed text,
 * possibly only when a list field holds (or lacks) an element ({@code [ASSURED]}); {@link Builder#rest} prints
 * every field no token took, in the order the event wrote them, as {@code name=value}. A field no event has
 * is skipped with its words; nothing the event wrote is lost unless a token {@link Builder#hide hides} it.
 * <p>
 * Immutable; built once per kind ({@link TextLayouts}).
 */
public final class TextLayout
{
    static final int VALUE = 0;
    static final int LITERAL = 1;
    static final int HIDE = 2;
    static final int REST = 3;

    private static final byte[] NONE = new byte[0];

    final byte[] kind;
    final Token[] tokens;

    private TextLayout(final String kind, final List<Token> tokens)
    {
        this.kind = kind.getBytes(StandardCharsets.US_ASCII);
        this.tokens = tokens.toArray(new Token[0]);
    }

    public static Builder of(final String kind)
    {
        return new Builder(kind);
    }

    static final class Token
    {
        final int type;
        /** The field printed (VALUE), hidden (HIDE), or whose list the condition reads (LITERAL). */
        final byte[] path;
        byte[] before = NONE;
        byte[] after = NONE;
        /** No space before it. */
        boolean glued;
        /** VALUE: taken, not printed, when the value is this. */
        byte[] omitIf;
        /** VALUE: taken, not printed, when another field has the same value. */
        byte[] omitIfSameAs;
        /** VALUE: taken, not printed, when this other field is present. */
        byte[] onlyWithout;
        /** VALUE: printed as {@link #mapTo} when the value is {@link #mapFrom}. */
        byte[] mapFrom;
        byte[] mapTo;
        /** VALUE: an empty list still prints its words ({@code <>}). */
        boolean emptyShown;
        /** VALUE: a list's elements separated by spaces, as iproute2 prints flags. */
        boolean spaced;
        /** VALUE: {@code sec} after a number (a lifetime), as iproute2 prints it. */
        boolean seconds;
        /** VALUE: an address with ':' in brackets, as {@code ss} prints IPv6 before a port. */
        boolean bracketed;
        /** VALUE: a host route's {@code /32} or {@code /128} left out, as {@code ip route} prints it. */
        boolean hostPrefixOmitted;
        /** LITERAL: printed when the list at {@link #path} holds {@link #element} ({@link #holds}) or lacks it. */
        byte[] element;
        boolean holds;

        Token(final int type, final byte[] path)
        {
            this.type = type;
            this.path = path;
        }
    }

    public static final class Builder
    {
        private final String kind;
        private final List<Token> tokens = new ArrayList<>();

        private Builder(final String kind)
        {
            this.kind = kind;
        }

        /** The value alone. */
        public Builder value(final String path)
        {
            return value(path, "");
        }

        /** {@code before} then the value: {@code "mtu "}, {@code "src="}. */
        public Builder value(final String path, final String before)
        {
            final Token t = new Token(VALUE, bytes(path));
            t.before = bytes(before);
            tokens.add(t);
            return this;
        }

        /** As {@link #value(String, String)}, without the space before. */
        public Builder glued(final String path, final String before)
        {
            value(path, before);
            last().glued = true;
            return this;
        }

        /** Fixed text, always. */
        public Builder literal(final String text, final boolean glued)
        {
            final Token t = new Token(LITERAL, null);
            t.before = bytes(text);
            t.glued = glued;
            tokens.add(t);
            return this;
        }

        /** {@code text} when the list field {@code path} is there and holds {@code element}. */
        public Builder whenHolds(final String path, final String element, final String text)
        {
            return condition(path, element, text, true);
        }

        /** {@code text} when the list field {@code path} is there and lacks {@code element}. */
        public Builder whenLacks(final String path, final String element, final String text)
        {
            return condition(path, element, text, false);
        }

        private Builder condition(final String path, final String element, final String text, final boolean holds)
        {
            final Token t = new Token(LITERAL, bytes(path));
            t.before = bytes(text);
            t.element = bytes(element);
            t.holds = holds;
            tokens.add(t);
            return this;
        }

        /** Fields not printed at all (what the rest of the line already says). */
        public Builder hide(final String... paths)
        {
            for (final String p : paths)
            {
                tokens.add(new Token(HIDE, bytes(p)));
            }
            return this;
        }

        /** Every field no token names, as {@code name=value}, in the event's order. */
        public Builder rest()
        {
            tokens.add(new Token(REST, null));
            return this;
        }

        public Builder after(final String text)
        {
            last().after = bytes(text);
            return this;
        }

        public Builder omitIf(final String value)
        {
            last().omitIf = bytes(value);
            return this;
        }

        public Builder omitIfSameAs(final String path)
        {
            last().omitIfSameAs = bytes(path);
            return this;
        }

        public Builder onlyWithout(final String path)
        {
            last().onlyWithout = bytes(path);
            return this;
        }

        public Builder map(final String from, final String to)
        {
            last().mapFrom = bytes(from);
            last().mapTo = bytes(to);
            return this;
        }

        public Builder emptyShown()
        {
            last().emptyShown = true;
            return this;
        }

        public Builder spaced()
        {
            last().spaced = true;
            return this;
        }

        public Builder seconds()
        {
            last().seconds = true;
            return this;
        }

        public Builder bracketed()
        {
            last().bracketed = true;
            return this;
        }

        public Builder hostPrefixOmitted()
        {
            last().hostPrefixOmitted = true;
            return this;
        }

        public TextLayout build()
        {
            return new TextLayout(kind, tokens);
        }

        private Token last()
        {
            final Token t = tokens.get(tokens.size() - 1);
            if (t.type != VALUE)
            {
                throw new IllegalStateException("a modifier follows a value token");
            }
            return t;
        }

        private static byte[] bytes(final String s)
        {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
