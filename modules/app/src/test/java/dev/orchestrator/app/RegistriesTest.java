package dev.orchestrator.app;

import static dev.orchestrator.app.Fixtures.CLOCK;
import static dev.orchestrator.app.Fixtures.T0;
import static dev.orchestrator.app.Fixtures.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.Store;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Registry credentials over a real store. */
class RegistriesTest {
    private static final String PASSWORD = "Walrus-Sextant-4410";

    @TempDir
    Path dir;
    private Store store;
    private final Fixtures.Hooks hooks = new Fixtures.Hooks();
    private Registries registries;

    @BeforeEach
    void open() {
        store = Store.open(dir);
        registries = Application.create(store, hooks, CLOCK).registries();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<String> events() {
        return store.events().query(EventQuery.latest()).stream().map(Event::message).toList();
    }

    @Test
    void loginStoresListsAndNotifies() {
        var view = registries.login("127.0.0.1:5000", "ci", PASSWORD);
        assertEquals(new Registries.View("127.0.0.1:5000", "ci", T0), view);
        assertEquals(PASSWORD, store.registries().get("127.0.0.1:5000").orElseThrow().password());
        assertEquals(List.of(view), registries.list());
        assertEquals(List.of("Registry credentials for 127.0.0.1:5000 set (user ci)"), events());
        assertEquals("registry", store.events().query(EventQuery.latest()).getFirst().type());
        assertEquals(List.of("registries"), hooks.calls);
        assertFalse(view.toString().contains(PASSWORD));
    }

    @Test
    void loginAgainReplaces() {
        registries.login("registry.example.com", "ci", PASSWORD);
        registries.login("registry.example.com", "bot", "other");
        assertEquals(List.of(new Registries.View("registry.example.com", "bot", T0)), registries.list());
        assertEquals("other", store.registries().get("registry.example.com").orElseThrow().password());
    }

    @Test
    void logoutRemovesAndNotifies() {
        registries.login("docker.io", "ci", PASSWORD);
        hooks.calls.clear();
        registries.logout("docker.io");
        assertEquals(List.of(), registries.list());
        assertEquals("Registry credentials for docker.io removed", events().getLast());
        assertEquals(List.of("registries"), hooks.calls);
    }

    @Test
    void logoutOfAnUnknownHostIsNotFound() {
        assertRefused(ErrorCode.NOT_FOUND, store, hooks, () -> registries.logout("docker.io"),
                "no credentials for registry docker.io");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker.io", "registry.example.com", "127.0.0.1:5000", "localhost", "localhost:5000",
            "registry:5000", "my-registry.internal:443", "10.0.0.1"})
    void hostsAsImageReferencesNameThem(String host) {
        assertEquals(host, Registries.host(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "registry", "Registry.example.com", "https://docker.io", "docker.io/team",
            "host:0", "host.io:65536", "host.io:", "-a.io", "a..io", "256.0.0.1", "1.2.3", "a.io:5000:1",
            "white space.io", "a_b.io"})
    void otherHostsAreInvalid(String host) {
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> registries.login(host, "ci", PASSWORD),
                "registry host");
    }

    @Test
    void aHostOver253CharactersIsInvalid() {
        String host = String.join(".", java.util.Collections.nCopies(5, "a".repeat(50))) + ".io"; // 257
        assertEquals(253, Registries.host(host.substring(4)).length());
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> registries.login(host, "ci", PASSWORD),
                "registry host");
    }

    @Test
    void usernameAndPasswordLimits() {
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> registries.login("docker.io", "", PASSWORD),
                "username is required");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> registries.login("docker.io", "u".repeat(256), PASSWORD), "username must be 1-255");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> registries.login("docker.io", "a\tb", PASSWORD),
                "username");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> registries.login("docker.io", "ci", null),
                "password is required");
        var e = assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> registries.login("docker.io", "ci", PASSWORD + "\n"), "password must be 1-4096");
        assertFalse(e.getMessage().contains(PASSWORD));
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> registries.login("docker.io", "ci", "p".repeat(4097)), "password");
        registries.login("docker.io", "u".repeat(255), "p".repeat(4096));
        assertEquals(1, registries.list().size());
    }
}
