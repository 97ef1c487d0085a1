package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.RegistryMapper;
import dev.orchestrator.store.internal.RegistryRow;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link RegistryRecords} on the {@code registry_credentials} table, passwords sealed by a
 * {@link SecretBox} with the host as associated data.
 */
final class SqlRegistries implements RegistryRecords {
    private final Access access;
    private final SecretBox secrets;

    SqlRegistries(Access access, SecretBox secrets) {
        this.access = access;
        this.secrets = secrets;
    }

    @Override
    public void put(RegistryCredential credential) {
        Objects.requireNonNull(credential, "credential");
        String host = credential.host();
        if (host.isBlank() || credential.username().isBlank()) {
            throw OrchestratorException.invalid("registry host and username must not be blank");
        }
        var row = new RegistryRow(host, credential.username(), secrets.seal(context(host), credential.password()),
                credential.updatedAt());
        access.run("put registry credentials for " + host,
                session -> session.getMapper(RegistryMapper.class).upsert(row));
    }

    @Override
    public Optional<RegistryCredential> get(String host) {
        Objects.requireNonNull(host, "host");
        return access.read("read registry credentials",
                session -> session.getMapper(RegistryMapper.class).find(host)).map(this::open);
    }

    @Override
    public List<RegistryCredential> all() {
        return access.read("list registry credentials", session -> session.getMapper(RegistryMapper.class).findAll())
                .stream().map(this::open).toList();
    }

    @Override
    public boolean delete(String host) {
        Objects.requireNonNull(host, "host");
        return access.write("delete registry credentials for " + host,
                session -> session.getMapper(RegistryMapper.class).delete(host) == 1);
    }

    private RegistryCredential open(RegistryRow row) {
        return new RegistryCredential(row.host(), row.username(), secrets.open(context(row.host()), row.secret()),
                row.updatedAt());
    }

    private static String context(String host) {
        return "registry " + host;
    }
}
