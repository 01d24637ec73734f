package io.nlstream.monitor.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.nlstream.monitor.read.Kind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published JSON schemas ({@code schema/} at the repository root, on the test classpath as {@code schema/}
 * by monitor's pom), checked with a real draft 2020-12 validator. {@link Json#object} runs {@link #check} on
 * every line that is nlstream's output, so whatever a test reads from {@code replay --format json},
 * {@code run --stdout json}, a Kafka value, {@code state} or {@code diff} is checked too.
 *
 * <p>Which schema a line is held to (see {@code schema/state.json}): a line with {@code seq}, {@code ts},
 * {@code op} or {@code origin} is an event, held to {@code KIND.json}; one with none of them is an object as
 * {@code state} prints it, held to {@code state.json}; a {@code diff} line ({@code change}) has its
 * {@code before} and {@code after} objects held to {@code state.json}. The schemas' ids
 * ({@code https://nlstream.io/schema/2/...}) are mapped to the classpath: nothing is fetched.
 */
public final class EventSchemas
{
    /** The {@code $id} of every schema of version 2 is this and the file's name. */
    public static final String ID_PREFIX = "https://nlstream.io/schema/2/";
    /** The schema of a {@code state} object. */
    public static final String STATE = "state";
    /** The shared definitions, no schema of a line by itself. */
    public static final String COMMON = "common";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        registry -> registry.schemaLoader(loader -> loader
            .schemaIdResolvers(ids -> ids.mapPrefix(ID_PREFIX, "classpath:schema/"))
            .fetchRemoteResources(false)));
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    private static final String[] EVENT_ONLY = {"seq", "ts", "op", "origin"};

    private EventSchemas()
    {
    }

    /** The schema {@code schema/NAME.json}: a kind's name, {@link #STATE} or {@link #COMMON}. */
    public static Schema schema(final String name)
    {
        return SCHEMAS.computeIfAbsent(name, n ->
        {
            final Schema s = REGISTRY.getSchema(SchemaLocation.of(ID_PREFIX + n + ".json"));
            s.initializeValidators();
            return s;
        });
    }

    /**
     * Whether a parsed line is nlstream's output (an event, a {@code state} object, a {@code diff} line), not
     * some other tool's JSON (iproute2's {@code -j}): nothing else has a {@code kind} beside a {@code netns}.
     */
    public static boolean isOutput(final Map<String, Object> line)
    {
        return line.containsKey("kind") && (line.containsKey("netns") || line.containsKey("change"));
    }

    /** Fails with the validator's messages and the line unless the line holds to its schema (see above). */
    public static void check(final String line)
    {
        final List<String> problems = problems(line);
        if (!problems.isEmpty())
        {
            throw new AssertionError("not schema " + ID_PREFIX + ": " + String.join("; ", problems) + "\n  in " + line);
        }
    }

    /** What the validator says against a line (see above), each message with the schema it names; empty when it holds. */
    public static List<String> problems(final String line)
    {
        final JsonNode node;
        try
        {
            node = MAPPER.readTree(line);
        }
        catch (final JacksonException e)
        {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject())
        {
            return List.of("not an object");
        }
        if (node.has("change"))
        {
            final List<String> out = new ArrayList<>();
            for (final String side : new String[] {"before", "after"})
            {
                final JsonNode object = node.get(side);
                if (object != null && !object.isNull())
                {
                    for (final String p : problems(STATE, object))
                    {
                        out.add(side + ": " + p);
                    }
                }
            }
            return out;
        }
        return problems(schemaOf(node), node);
    }

    /** What the validator says against a schema's text held to the draft 2020-12 meta-schema; empty when it holds. */
    public static List<String> metaSchemaProblems(final String schemaText)
    {
        final Schema meta = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA));
        final List<String> out = new ArrayList<>();
        for (final Error e : meta.validate(MAPPER.readTree(schemaText)))
        {
            out.add(e.toString());
        }
        return out;
    }

    /** What the validator says against {@code json} held to {@code schema/NAME.json}; empty when it holds. */
    public static List<String> problems(final String name, final String json)
    {
        return problems(name, MAPPER.readTree(json));
    }

    private static List<String> problems(final String name, final JsonNode node)
    {
        if (name == null)
        {
            return List.of("no schema for kind " + node.get("kind"));
        }
        final List<String> out = new ArrayList<>();
        for (final Error e : schema(name).validate(node))
        {
            out.add(name + ".json: " + e);
        }
        return out;
    }

    /** The schema of an event or an object (see above); null for a kind without one. */
    private static String schemaOf(final JsonNode node)
    {
        for (final String field : EVENT_ONLY)
        {
            if (node.has(field))
            {
                final JsonNode kind = node.get("kind");
                return kind != null && kind.isString() && isKind(kind.stringValue()) ? kind.stringValue() : null;
            }
        }
        return STATE;
    }

    private static boolean isKind(final String text)
    {
        for (final Kind k : Kind.values())
        {
            if (k.text().equals(text))
            {
                return true;
            }
        }
        return false;
    }
}
