package dev.orchestrator.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.orchestrator.api.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class DockerErrorsTest {
    @Test
    void extractsDockersMessageFromTheJsonBody() {
        String text = "Status 409: {\"message\":\"Conflict. The container name \\\"/web-1\\\" is already in use\"}\n";

        assertEquals("Conflict. The container name \"/web-1\" is already in use", DockerErrors.apiMessage(text));
        assertEquals("plain text", DockerErrors.apiMessage(" plain text\n"));
    }

    @Test
    void apiErrorsNameTheOperationAndTarget() {
        var e = DockerErrors.failure("unix:///var/run/docker.sock", "start container", "abc",
                new NotFoundException("Status 404: {\"message\":\"No such container: abc\"}"));

        assertEquals(ErrorCode.RUNTIME_FAILURE, e.code());
        assertEquals("docker: cannot start container abc: No such container: abc", e.getMessage());
    }

    @Test
    void transportErrorsNameTheHostAndTheRootCause() {
        var e = DockerErrors.failure("unix:///nowhere.sock", "list containers", "all",
                new RuntimeException(new UncheckedIOException(new IOException("No such file or directory"))));

        assertTrue(e.getMessage().startsWith("docker at unix:///nowhere.sock: cannot list containers all"), e.getMessage());
        assertTrue(e.getMessage().endsWith("No such file or directory"), e.getMessage());
    }
}
