/**
 * The orchestrator's persistent state: desired service specs, observed replicas, nodes,
 * events, users and settings, in one SQLite database (WAL mode) reached through MyBatis
 * mappers. Entry point: {@link dev.orchestrator.store.Store}.
 */
module dev.orchestrator.store {
    // The public API speaks in ServiceSpec, Event and OrchestratorException.
    requires transitive dev.orchestrator.api;
    requires java.sql;
    // A real module (module-info in META-INF/versions/9); it provides java.sql.Driver too.
    requires org.xerial.sqlitejdbc;
    // An automatic module (Automatic-Module-Name: org.mybatis).
    requires org.mybatis;
    requires com.fasterxml.jackson.databind;

    exports dev.orchestrator.store;

    // MyBatis reflects on the internal package: it builds a java.lang.reflect.Proxy for each
    // mapper interface and calls the constructors of the row records there (DefaultObjectFactory
    // and Reflector use plain reflection, which a non-exported package refuses). The mappers are
    // annotation-based, so no resource of this module has to be visible to another module's
    // class loader; the migration scripts are read by this module itself. Hence a qualified
    // 'opens', not an unconditional one. The exported package needs nothing more: MyBatis and
    // Jackson only touch its public records through public constructors and accessors.
    // Statements are static text (no <script>, no ${}): MyBatis's dynamic SQL runs on its
    // embedded OGNL, which would pull java.desktop (java.beans) into the runtime image.
    opens dev.orchestrator.store.internal to org.mybatis;
}
