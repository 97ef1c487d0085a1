package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.SchemaMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.ibatis.session.SqlSession;

/**
 * Versioned schema migrations: scripts {@code V<n>__<description>.sql}, applied in order, each
 * in one transaction together with its row in {@code schema_version}. A database already at a
 * version is left alone; one at a version newer than the newest script is refused.
 *
 * <p>Scripts are listed here rather than discovered: a module's resource directory cannot be
 * listed portably (jar, module image, exploded classes). A test checks that the list and the
 * directory agree.
 */
final class Migrations {
    /** The production scripts, oldest first. Append only. */
    static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__nodes.sql", "V3__networks.sql",
            "V4__event_nodes.sql", "V5__service_revisions.sql", "V6__registry_credentials.sql",
            "V7__deployments.sql", "V8__user_roles.sql", "V9__node_credentials.sql");
    /** Where the production scripts live, relative to this class. */
    static final String DIRECTORY = "migration/";

    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([a-z0-9_]+)\\.sql");

    /**
     * One script.
     *
     * @param version     its version, 1, 2, ...
     * @param description the part of its name after {@code __}
     * @param resource    its resource name, relative to this class
     */
    record Script(int version, String description, String resource) {
    }

    /** Runs work in one write transaction: committed when it returns, rolled back when it throws. */
    @FunctionalInterface
    interface Writer {
        /**
         * @param operation names the work in error messages
         * @param work      the work
         * @param <T>       its result type
         * @return its result
         */
        <T> T write(String operation, Function<SqlSession, T> work);
    }

    private final List<Script> scripts;

    /**
     * @param resources script resources relative to this class, in order; each file must be
     *                  named {@code V<n>__<description>.sql} with n = 1, 2, 3, ...
     */
    Migrations(List<String> resources) {
        var list = new ArrayList<Script>();
        for (String resource : resources) {
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            var m = NAME.matcher(name);
            if (!m.matches() || Integer.parseInt(m.group(1)) != list.size() + 1) {
                throw new IllegalArgumentException("migration " + resource + " must be named V" + (list.size() + 1)
                        + "__<description>.sql");
            }
            list.add(new Script(list.size() + 1, m.group(2), resource));
        }
        scripts = List.copyOf(list);
    }

    /** @return the production migrations */
    static Migrations production() {
        return new Migrations(SCRIPTS.stream().map(name -> DIRECTORY + name).toList());
    }

    /** @return the newest version these scripts reach */
    int latest() {
        return scripts.size();
    }

    /**
     * Brings a database up to {@link #latest()}.
     *
     * @param writer runs each step in one write transaction
     * @param clock  stamps {@code applied_at}
     * @param where  the database file, for messages
     * @return the version the database is at afterwards
     * @throws OrchestratorException ({@code INTERNAL}) if the database is newer than the code, or a script fails
     */
    int migrate(Writer writer, Clock clock, String where) {
        int current = writer.write("read the schema version of " + where, session -> {
            SchemaMapper m = session.getMapper(SchemaMapper.class);
            m.createVersionTable();
            return m.currentVersion();
        });
        if (current > latest()) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "state store: " + where + " has schema version "
                    + current + " but this orchestrator knows versions up to " + latest()
                    + "; it was written by a newer orchestrator. Run that version, or restore a backup.");
        }
        for (Script script : scripts.subList(current, scripts.size())) {
            current = writer.write("migration " + script.resource() + " of " + where,
                    session -> apply(session, script, clock));
        }
        return current;
    }

    private Integer apply(SqlSession session, Script script, Clock clock) {
        SchemaMapper m = session.getMapper(SchemaMapper.class);
        // Re-read inside the write transaction: another process may have migrated meanwhile.
        int current = m.currentVersion();
        if (current >= script.version()) {
            return current;
        }
        for (String statement : statements(read(script))) {
            m.execute(statement);
        }
        m.recordVersion(script.version(), script.description(), clock.instant());
        return script.version();
    }

    private static String read(Script script) {
        try (InputStream in = Migrations.class.getResourceAsStream(script.resource())) {
            if (in == null) {
                throw new IllegalStateException("migration script " + script.resource() + " is missing from "
                        + Migrations.class.getModule());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + script.resource(), e);
        }
    }

    /**
     * Splits a script: a statement ends with a line whose last non-blank character is
     * {@code ;}; lines starting with {@code --} are dropped.
     *
     * @param script the script text
     * @return its statements, without the final {@code ;}
     */
    static List<String> statements(String script) {
        var out = new ArrayList<String>();
        var current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String s = current.toString().strip();
                out.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("migration script ends without ';' after: "
                    + current.toString().strip());
        }
        return out;
    }
}
