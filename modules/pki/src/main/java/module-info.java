/**
 * The cluster's certificate authority ({@link dev.orchestrator.pki.ClusterCa}): made on the
 * server's first start, it certifies the server's endpoint for nodes. Bouncy Castle builds the
 * certificates; the JDK makes the keys and signatures.
 */
module dev.orchestrator.pki {
    requires transitive dev.orchestrator.api;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports dev.orchestrator.pki;
}
