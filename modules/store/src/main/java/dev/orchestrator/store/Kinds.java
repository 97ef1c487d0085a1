package dev.orchestrator.store;

import java.time.Clock;

/**
 * The operations on each kind of record, all reaching the database the same way.
 *
 * @param services    the services
 * @param assignments the assignments
 * @param replicas    the replicas
 * @param nodes       the nodes
 * @param tokens      the join tokens
 * @param events      the events
 * @param users       the users
 * @param settings    the settings
 * @param networks    the networks' subnets and the services' addresses
 * @param registries  the registry credentials
 * @param deployments the services' latest rollouts
 * @param credentials the nodes' own credentials
 */
record Kinds(ServiceRecords services, AssignmentRecords assignments, ReplicaRecords replicas, NodeRecords nodes,
             JoinTokenRecords tokens, EventRecords events, UserRecords users, SettingRecords settings,
             NetworkRecords networks, RegistryRecords registries, DeploymentRecords deployments,
             NodeCredentialRecords credentials) {
    /**
     * @param access how every operation reaches the database
     * @param clock  the clock of services', users' and settings' times
     * @param json    the spec and label codec
     * @param secrets seals the registry passwords
     * @return the operations of every kind over {@code access}
     */
    static Kinds over(Access access, Clock clock, Json json, SecretBox secrets) {
        return new Kinds(new SqlServices(access, clock, json), new SqlAssignments(access), new SqlReplicas(access),
                new SqlNodes(access, json), new SqlJoinTokens(access), new SqlEvents(access),
                new SqlUsers(access, clock), new SqlSettings(access, clock),
                new SqlNetworks(access, clock), new SqlRegistries(access, secrets),
                new SqlDeployments(access), new SqlNodeCredentials(access));
    }
}
