package io.nlstream.monitor.read;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The top-level splitter diff compares objects with: values kept as written, nesting and strings respected. */
class JsonFieldsTest
{
    @Test
    void splitsTopLevelFieldsKeepingNestedValuesWhole()
    {
        final Map<String, String> expected = new LinkedHashMap<>();
        expected.put("kind", "\"conn\"");
        expected.put("netns", "4026532177");
        expected.put("orig", "{\"src\":\"10.0.0.1\",\"ports\":[1,2]}");
        expected.put("status", "[\"SEEN_REPLY\",\"CONFIRMED\"]");
        expected.put("label", "\"a,b}\\\"c]\"");
        expected.put("ok", "true");
        expected.put("none", "null");
        expected.put("neg", "-1.5e3");
        assertEquals(expected, JsonFields.of("{\"kind\":\"conn\",\"netns\":4026532177,\"orig\":{\"src\":\"10.0.0.1\",\"ports\":[1,2]},"
            + "\"status\":[\"SEEN_REPLY\",\"CONFIRMED\"],\"label\":\"a,b}\\\"c]\",\"ok\":true,\"none\":null,\"neg\":-1.5e3}"));
        assertEquals(Map.of(), JsonFields.of(" { } "));
        assertEquals(Map.of("a", "1"), JsonFields.of("{ \"a\" : 1 }"));
        assertEquals("conn", JsonFields.bare("\"conn\""));
        assertEquals("12", JsonFields.bare("12"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1", "{\"a\":\"x}", "{\"a\":{\"b\":1}",
        "{a:1}", "{\"a\":1 \"b\":2}", "{\"a\":[1,2}"})
    void malformed(final String json)
    {
        assertThrows(IllegalArgumentException.class, () -> JsonFields.of(json));
    }
}
