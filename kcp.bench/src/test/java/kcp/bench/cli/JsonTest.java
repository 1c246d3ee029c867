package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
    @Test
    void shouldParseEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, 0], \"b\": {\"c\": \"x\\n\\u00e9\\\"\"}, \"t\": true, \"f\": false,"
                + " \"n\": null, \"e\": {}, \"l\": []}\r\n");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), new BigDecimal("0")), m.get("a"));
        assertEquals("x\n\u00e9\"", ((Map<?, ?>) m.get("b")).get("c"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertSame(Json.NULL, m.get("n"));
        assertEquals(Map.of(), m.get("e"));
        assertEquals(List.of(), m.get("l"));
    }

    @Test
    void shouldKeepTheLastOfDuplicateKeysAsGoDoes() {
        assertEquals(Map.of("k", new BigDecimal(2)), Json.parse("{\"k\":1,\"k\":2}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":1,}            | line 1 column 8: a string key was expected",
        "{'a':1}               | a string key was expected",
        "{\"a\":01}            | leading zero",
        "{\"a\":1} x           | unexpected 'x' after the value",
        "{\"a\":tru}           | a value was expected",
        "{\"a\" 1}             | ':' expected",
        "[1 2]                 | ',' or ']' expected",
        "{\"a\":\"\\q\"}       | bad escape",
        "{\"a\":1.}            | digit expected after '.'",
        "'{\n\"a\":\n}'        | line 3 column 1",
        "{\"a\":\"open         | unterminated string",
        "                      | unexpected end of input",
    })
    void shouldRejectMalformedJsonNamingLineAndColumn(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse(text == null ? "" : text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void shouldBoundTheNestingDepth() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
    }
}
