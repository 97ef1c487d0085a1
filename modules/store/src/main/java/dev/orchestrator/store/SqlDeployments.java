package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.DeploymentMapper;
import dev.orchestrator.store.internal.ServiceMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link DeploymentRecords} on the {@code deployments} table. */
final class SqlDeployments implements DeploymentRecords {
    private final Access access;

    SqlDeployments(Access access) {
        this.access = access;
    }

    @Override
    public void put(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        String what = "put the deployment of " + deployment.service();
        access.run(what, session -> {
            if (!session.getMapper(ServiceMapper.class).exists(deployment.service())) {
                throw new OrchestratorException(ErrorCode.NOT_FOUND,
                        what + ": service '" + deployment.service() + "' does not exist");
            }
            session.getMapper(DeploymentMapper.class).upsert(deployment);
        });
    }

    @Override
    public Optional<Deployment> get(String service) {
        Objects.requireNonNull(service, "service");
        return access.read("read the deployment of " + service,
                session -> session.getMapper(DeploymentMapper.class).find(service));
    }

    @Override
    public List<Deployment> all() {
        return access.read("list deployments", session -> session.getMapper(DeploymentMapper.class).findAll());
    }
}
