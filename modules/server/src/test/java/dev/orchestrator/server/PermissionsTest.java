package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.Role;
import org.junit.jupiter.api.Test;

class PermissionsTest {
    @Test
    void readsNeedAViewerChangesAnOperatorAndCredentialsAnAdmin() {
        assertEquals(Role.VIEWER, Permissions.needed("GET", "/api/services", "ann"));
        assertEquals(Role.VIEWER, Permissions.needed("HEAD", "/api/nodes", "ann"));
        assertEquals(Role.VIEWER, Permissions.needed("GET", "/metrics", "ann"));
        assertEquals(Role.VIEWER, Permissions.needed("GET", "/ui/app.js", "ann"));
        assertEquals(Role.OPERATOR, Permissions.needed("POST", "/api/deploy", "ann"));
        assertEquals(Role.OPERATOR, Permissions.needed("DELETE", "/api/services/web", "ann"));
        assertEquals(Role.OPERATOR, Permissions.needed("POST", "/api/nodes/n1/drain", "ann"));
        assertEquals(Role.OPERATOR, Permissions.needed("OPTIONS", "/api/services", "ann"));
        for (String path : new String[] {"/api/users", "/api/users/bob", "/api/tokens", "/api/tokens/abc",
            "/api/registries", "/api/registries/127.0.0.1:5000"}) {
            assertEquals(Role.ADMIN, Permissions.needed("GET", path, "ann"), path);
            assertEquals(Role.ADMIN, Permissions.needed("POST", path, "ann"), path);
        }
    }

    @Test
    void aUserSetsItsOwnPasswordOnly() {
        assertEquals(Role.VIEWER, Permissions.needed("PUT", "/api/users/ann/password", "ann"));
        assertEquals(Role.ADMIN, Permissions.needed("PUT", "/api/users/bob/password", "ann"));
        assertEquals(Role.ADMIN, Permissions.needed("PUT", "/api/users/ann/role", "ann"));
        assertEquals(Role.ADMIN, Permissions.needed("DELETE", "/api/users/ann/password", "ann"));
        assertEquals(Role.ADMIN, Permissions.needed("PUT", "/api/users/ann/password/x/../../bob/password", "ann"));
    }

    @Test
    void pathTricksDoNotLowerWhatARouteNeeds() {
        for (String path : new String[] {"/api//users", "/api/./users", "/api/services/../users", "//api/users/",
            "/api/USERS", "/api/Tokens/x", "/./api/registries"}) {
            assertEquals(Role.ADMIN, Permissions.needed("POST", path, "ann"), path);
        }
        assertEquals("/api/users", Permissions.normalize("/api/services/../../api/./users//"));
        assertEquals("/", Permissions.normalize("/../.."));
    }
}
