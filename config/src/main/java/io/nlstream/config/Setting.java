package io.nlstream.config;

import io.nlstream.config.ConfigDef.Type;
import io.nlstream.config.ConfigDef.Validator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One setting, as {@link ConfigDef} knows it: where it can be given (config file key {@link #name()},
 * command-line {@link #flag()} and {@link #shortFlag()}, environment variable {@link #env()}), how its text becomes
 * a value ({@link #type()}, {@link #allowed()}, {@link #validator()}), its {@link #defaultValue()} and a one-line
 * {@link #doc()} for the help text.
 *
 * @param name         the config file key, e.g. {@code journal.dir}
 * @param flag         the command-line option, e.g. {@code --journal}; null if only file and environment set it.
 *                     Settings of disjoint sets of commands may share a flag (and short flag): the command picks one
 * @param shortFlag    a one-letter alias of the flag, e.g. {@code -j}; null for none. A BOOLEAN's short flag takes
 *                     no value ({@code -f} is {@code --follow true}); others take the next argument ({@code -k conn})
 * @param env          the environment variable, by default {@code NLSTREAM_} + the name in upper case with
 *                     {@code .} and {@code -} as {@code _}, e.g. {@code NLSTREAM_JOURNAL_DIR}
 * @param defaultValue the default, written as a user would write it (so help shows it as is); null for none
 * @param allowed      the values an ENUM, or each element of a LIST, may take; empty for any
 * @param validator    checked on the parsed value; {@link ConfigDef#any()} for none
 * @param commands     the commands that read this setting; empty for all of them
 * @param placeholder  the value in help, e.g. {@code PATH} in {@code --journal PATH}
 */
public record Setting(String name, String flag, String shortFlag, String env, Type type, String defaultValue,
    List<String> allowed, Validator validator, String doc, Set<String> commands, String placeholder)
{

    public Setting
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(placeholder, "placeholder");
        allowed = List.copyOf(allowed);
        commands = Set.copyOf(commands);
    }

    /** A setting without a short flag. */
    public Setting(String name, String flag, String env, Type type, String defaultValue, List<String> allowed,
        Validator validator, String doc, Set<String> commands, String placeholder)
    {
        this(name, flag, null, env, type, defaultValue, allowed, validator, doc, commands, placeholder);
    }

    public static Builder builder(String name, Type type)
    {
        return new Builder(name, type);
    }

    public boolean appliesTo(String command)
    {
        return commands.isEmpty() || commands.contains(command);
    }

    public static final class Builder
    {
        private final String name;
        private final Type type;
        private String flag;
        private String shortFlag;
        private String env;
        private String defaultValue;
        private List<String> allowed = List.of();
        private Validator validator = ConfigDef.any();
        private String doc = "";
        private Set<String> commands = Set.of();
        private String placeholder;

        private Builder(String name, Type type)
        {
            this.name = name;
            this.type = type;
        }

        public Builder flag(String flag)
        {
            this.flag = flag;
            return this;
        }

        /** A one-letter alias of the flag, e.g. {@code -f}. */
        public Builder shortFlag(String shortFlag)
        {
            this.shortFlag = shortFlag;
            return this;
        }

        public Builder env(String env)
        {
            this.env = env;
            return this;
        }

        public Builder defaultValue(String defaultValue)
        {
            this.defaultValue = defaultValue;
            return this;
        }

        public Builder allowed(String... allowed)
        {
            this.allowed = List.of(allowed);
            return this;
        }

        public Builder validator(Validator validator)
        {
            this.validator = validator;
            return this;
        }

        public Builder doc(String doc)
        {
            this.doc = doc;
            return this;
        }

        public Builder commands(String... commands)
        {
            this.commands = Set.of(commands);
            return this;
        }

        public Builder placeholder(String placeholder)
        {
            this.placeholder = placeholder;
            return this;
        }

        public Setting build()
        {
            String envName = env != null ? env
                : "NLSTREAM_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            return new Setting(name, flag, shortFlag, envName, type, defaultValue, allowed, validator, doc, commands,
                placeholder != null ? placeholder : defaultPlaceholder());
        }

        private String defaultPlaceholder()
        {
            String last = name.substring(name.lastIndexOf('.') + 1).toUpperCase(Locale.ROOT);
            return switch (type)
            {
                case ENUM -> String.join("|", allowed).length() <= 16 ? String.join("|", allowed) : last;
                case LIST -> last + "[,...]";
                case BOOLEAN -> "true|false";
                case INT, LONG -> "N";
                default -> type.name();
            };
        }
    }
}
