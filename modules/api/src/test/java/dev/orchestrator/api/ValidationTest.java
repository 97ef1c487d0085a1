package dev.orchestrator.api;

import static dev.orchestrator.api.Invalid.assertInvalid;
import static dev.orchestrator.api.Invalid.assertInvalidMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every check of {@link Validation}: what passes, what fails, and what the message says. */
class ValidationTest {
    private static final String HEX64 = "0123456789abcdef".repeat(4);

    @Nested
    class DnsLabel {
        static Stream<String> valid() {
            return Stream.of("a", "0", "api-server", "a1", "1a", "a-b-c", "a--b", "web01", "x".repeat(62),
                    "a".repeat(63), "a" + "-".repeat(61) + "z");
        }

        @ParameterizedTest
        @MethodSource("valid")
        void accepted(String name) {
            assertSame(name, Validation.dnsLabel("name", name));
        }

        @ParameterizedTest
        @ValueSource(strings = {"-a", "a-", "-", "--", "Api", "API", "apI", "a_b", "_a", "a.b", "a b", " a", "a ",
                "a/b", "a:b", "café", "a\n"})
        void refused(String name) {
            assertInvalidMessage("name must be a DNS label (1-63 characters of a-z, 0-9 and '-', not starting or"
                    + " ending with '-'), got '" + name + "'", () -> Validation.dnsLabel("name", name));
        }

        @Test
        void sixtyFourCharactersIsOneTooMany() {
            String label = "a".repeat(64);
            assertInvalid(() -> Validation.dnsLabel("name", label), "name must be a DNS label", "got '" + label + "'");
            assertInvalid(() -> Validation.dnsLabel("name", "a".repeat(63) + "-"), "name must be a DNS label");
        }

        @ParameterizedTest
        @NullAndEmptySource
        void missing(String name) {
            assertInvalidMessage("name is required", () -> Validation.dnsLabel("name", name));
        }

        @Test
        void messageNamesTheFieldItIsGiven() {
            assertInvalid(() -> Validation.dnsLabel("strategy", "Spread"), "strategy must be a DNS label",
                    "got 'Spread'");
            assertInvalidMessage("health_check.type is required", () -> Validation.dnsLabel("health_check.type", null));
        }

        @Test
        void longValuesAreAbbreviatedInTheMessage() {
            String label = "A".repeat(200);
            var e = assertInvalid(() -> Validation.dnsLabel("name", label), "got '" + "A".repeat(77) + "...'");
            assertFalse(e.getMessage().contains("A".repeat(78)), e.getMessage());
        }
    }

    @Nested
    class Port {
        @ParameterizedTest
        @ValueSource(ints = {1, 22, 80, 8080, 65534, 65535})
        void accepted(int port) {
            assertEquals(port, Validation.port("ports.container_port", port));
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 65536, 65537, 100_000, Integer.MIN_VALUE, Integer.MAX_VALUE})
        void refused(int port) {
            assertInvalidMessage("ports.container_port must be a port in 1..65535, got " + port,
                    () -> Validation.port("ports.container_port", port));
        }
    }

    @Nested
    class Range {
        @ParameterizedTest
        @CsvSource({"0, 0, 10", "10, 0, 10", "5, 0, 10", "-3, -3, 3"})
        void accepted(long value, long min, long max) {
            assertEquals(value, Validation.range("f", value, min, max));
        }

        @ParameterizedTest
        @CsvSource({"-1, 0, 10", "11, 0, 10", "1001, 0, 1000"})
        void refused(long value, long min, long max) {
            assertInvalidMessage("f must be in " + min + ".." + max + ", got " + value,
                    () -> Validation.range("f", value, min, max));
        }
    }

    @Nested
    class ImageRef {
        static Stream<String> valid() {
            return Stream.of("myapp", "myapp:latest", "registry:5000/team/app:1.2", "app@sha256:" + HEX64,
                    "app:1.0@sha256:" + HEX64, "busybox", "library/busybox:1.36", "ghcr.io/org/app:v1.0-rc1",
                    "localhost:5000/app", "Registry.Example.COM/a/b/c:TAG_1", "my_app", "my__app", "my-app",
                    "my--app", "my.app", "a/b/c/d", "app:_tag", "app:" + "t".repeat(128), "a".repeat(255));
        }

        @ParameterizedTest
        @MethodSource("valid")
        void accepted(String ref) {
            assertSame(ref, Validation.imageRef("image", ref));
        }

        static Stream<String> invalid() {
            return Stream.of("MyApp:latest", "team/MyApp", "registry:5000/Team/app", "my app", "my app:latest",
                    " myapp", "myapp ", "myapp:", "myapp:latest:", "myapp:-tag", "myapp:.tag", "myapp:la test",
                    ":latest", "/app", "app/", "app//b", "-app", "app-", "app_", "_app", "a___b", "a..b", "app@",
                    "app@sha256:", "app@sha256:" + HEX64.substring(1), "app@sha256:" + HEX64 + "0",
                    "app@sha256:" + HEX64.toUpperCase(java.util.Locale.ROOT), "app@md5:" + HEX64,
                    "registry:123456/app", "app;rm -rf /", "app\n");
        }

        @ParameterizedTest
        @MethodSource("invalid")
        void refused(String ref) {
            assertInvalidMessage("image must be an image reference like 'name:tag' or 'registry/name:tag', got '"
                    + ref + "'", () -> Validation.imageRef("image", ref));
        }

        @Test
        void atMost255Characters() {
            String longest = "a".repeat(255);
            assertSame(longest, Validation.imageRef("image", longest));
            String tooLong = "a".repeat(256);
            var e = assertInvalid(() -> Validation.imageRef("image", tooLong), "image must be an image reference",
                    "got '" + "a".repeat(77) + "...'");
            assertFalse(e.getMessage().contains(tooLong), "a long value is abbreviated");
            assertInvalid(() -> Validation.imageRef("image", "registry:5000/team/" + "b".repeat(240) + ":1.2"),
                    "image must be an image reference");
        }

        @Test
        void tagAtMost128Characters() {
            assertInvalid(() -> Validation.imageRef("image", "app:" + "t".repeat(129)),
                    "image must be an image reference", "got 'app:" + "t".repeat(73) + "...'");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {" ", "\t", "   "})
        void missing(String ref) {
            assertInvalidMessage("image is required", () -> Validation.imageRef("image", ref));
        }
    }

    @Nested
    class Durations {
        static Stream<Arguments> valid() {
            return Stream.of(
                    Arguments.of("500ms", Duration.ofMillis(500)),
                    Arguments.of("1ms", Duration.ofMillis(1)),
                    Arguments.of("10s", Duration.ofSeconds(10)),
                    Arguments.of("5m", Duration.ofMinutes(5)),
                    Arguments.of("1h", Duration.ofHours(1)),
                    Arguments.of("90s", Duration.ofSeconds(90)),
                    Arguments.of("010s", Duration.ofSeconds(10)),
                    Arguments.of(" 10s ", Duration.ofSeconds(10)),
                    Arguments.of("999999999ms", Duration.ofMillis(999_999_999)),
                    Arguments.of("999999999h", Duration.ofHours(999_999_999)));
        }

        @ParameterizedTest
        @MethodSource("valid")
        void accepted(String text, Duration expected) {
            assertEquals(expected, Validation.duration("health_check.interval", text));
        }

        @ParameterizedTest
        @ValueSource(strings = {"10", "10 s", "-1s", "+1s", "1d", "1w", "1S", "1H", "1MS", "1.5s", "1,5s", "s", "ms",
                "", " ", "10sec", "10ss", "1m30s", "PT10S", "1000000000s", "ten s", "1e3ms", "0x10s"})
        void refused(String text) {
            assertInvalidMessage("health_check.interval must be a duration like '500ms', '10s', '5m' or '1h', got '"
                    + text + "'", () -> Validation.duration("health_check.interval", text));
        }

        @Test
        void nullIsRefusedAndNamed() {
            assertInvalidMessage("timeout must be a duration like '500ms', '10s', '5m' or '1h', got 'null'",
                    () -> Validation.duration("timeout", null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0s", "0ms", "0m", "0h", "000s"})
        void zeroIsRefused(String text) {
            assertInvalidMessage("health_check.timeout must be greater than zero, got '" + text + "'",
                    () -> Validation.duration("health_check.timeout", text));
        }

        @ParameterizedTest
        @CsvSource({
                "500ms, 500ms", "1500ms, 1500ms", "1000ms, 1s", "10s, 10s", "60s, 1m", "90s, 90s", "5m, 5m",
                "90m, 90m", "120m, 2h", "3600s, 1h", "1h, 1h", "48h, 48h", "999ms, 999ms"})
        void formatRoundTrips(String text, String normalised) {
            Duration d = Validation.duration("d", text);
            String formatted = Validation.format(d);
            assertEquals(normalised, formatted);
            assertEquals(d, Validation.duration("d", formatted), "format is read back to the same duration");
            assertEquals(formatted, Validation.format(Validation.duration("d", formatted)), "format is a fixpoint");
        }

        @Test
        void formatPicksTheLargestExactUnit() {
            assertEquals("2s", Validation.format(Duration.ofMillis(2000)));
            assertEquals("61s", Validation.format(Duration.ofSeconds(61)));
            assertEquals("61m", Validation.format(Duration.ofMinutes(61)));
            assertEquals("3601s", Validation.format(Duration.ofSeconds(3601)));
            assertEquals("1001ms", Validation.format(Duration.ofMillis(1001)));
            assertEquals("25h", Validation.format(Duration.ofHours(25)));
        }
    }

    @Nested
    class Sizes {
        static Stream<Arguments> valid() {
            return Stream.of(
                    Arguments.of("512m", 512L << 20),
                    Arguments.of("1g", 1L << 30),
                    Arguments.of("1024", 1024L),
                    Arguments.of("64k", 64L << 10),
                    Arguments.of("1", 1L),
                    Arguments.of("512M", 512L << 20),
                    Arguments.of("1G", 1L << 30),
                    Arguments.of("64K", 64L << 10),
                    Arguments.of("512mb", 512L << 20),
                    Arguments.of("512MB", 512L << 20),
                    Arguments.of("64kb", 64L << 10),
                    Arguments.of("100b", 100L),
                    Arguments.of(" 6m ", 6L << 20),
                    Arguments.of("999999999999", 999_999_999_999L),
                    Arguments.of("999999999999m", 999_999_999_999L << 20),
                    Arguments.of("8589934591g", 8_589_934_591L << 30));
        }

        @ParameterizedTest
        @MethodSource("valid")
        void accepted(String text, long bytes) {
            assertEquals(bytes, Validation.size("memory", text));
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1m", "12x", "1t", "1tb", "1.5g", "1 g", "m", "", " ", "1e3", "1gg", "1bb", "1mib",
                "0x10", "+1m", "1000000000000", "ten"})
        void refused(String text) {
            assertInvalidMessage("memory must be a size like '512m' or '1g', got '" + text + "'",
                    () -> Validation.size("memory", text));
        }

        @Test
        void nullIsRefusedAndNamed() {
            assertInvalidMessage("memory must be a size like '512m' or '1g', got 'null'",
                    () -> Validation.size("memory", null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "0m", "0g", "000k", "0b"})
        void zeroIsRefused(String text) {
            assertInvalidMessage("--memory must be greater than zero, got '" + text + "'",
                    () -> Validation.size("--memory", text));
        }

        /** Sizes whose byte count does not fit a long must not wrap around to another (plausible) size. */
        @ParameterizedTest
        @ValueSource(strings = {"8589934592g", "17179869184g", "17179869185g", "999999999999g"})
        void tooLargeIsRefusedNotWrapped(String text) {
            assertInvalid(() -> Validation.size("memory", text), "memory must be at most 9223372036854775807 bytes",
                    "got '" + text + "'");
        }
    }

    @Nested
    class EnvKey {
        @ParameterizedTest
        @ValueSource(strings = {"PATH", "_", "_X1", "log_level", "LOG_LEVEL", "a", "A1_B2", "__"})
        void accepted(String key) {
            assertSame(key, Validation.envKey("env", key));
        }

        @Test
        void atMost255Characters() {
            String longest = "K".repeat(255);
            assertSame(longest, Validation.envKey("env", longest));
            assertInvalid(() -> Validation.envKey("env", "K".repeat(256)), "env must be an environment variable name",
                    "got '" + "K".repeat(77) + "...'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1A", "9", "A-B", "A B", "", " A", "A=B", "A.B", "É", "a$", "-"})
        void refused(String key) {
            assertInvalidMessage("env must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got '" + key + "'",
                    () -> Validation.envKey("env", key));
        }

        @Test
        void nullIsRefusedAndNamed() {
            assertInvalidMessage("env must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got 'null'",
                    () -> Validation.envKey("env", null));
        }
    }

    @Nested
    class ListOf {
        @Test
        void nullIsEmptyAndCopiesAreImmutable() {
            assertEquals(List.of(), Validation.listOf("command", null));
            var source = new ArrayList<>(List.of("a", "b"));
            List<String> copy = Validation.listOf("command", source);
            source.add("c");
            assertEquals(List.of("a", "b"), copy);
            assertThrows(UnsupportedOperationException.class, () -> copy.add("d"));
        }

        @Test
        void nullElementIsRefusedByIndex() {
            assertInvalidMessage("command[1] must not be null",
                    () -> Validation.listOf("command", Arrays.asList("a", null)));
        }
    }
}
