package dev.orchestrator.store.internal;

import dev.orchestrator.store.Subnet;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.MapKey;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The {@code network_subnets} and {@code service_addresses} tables. */
public interface NetworkMapper {
    /** @return every subnet, by network then node */
    @Select("SELECT network, node, subnet FROM network_subnets ORDER BY network, node")
    List<Subnet> subnets();

    /**
     * @param network the network
     * @param node    the node
     * @param subnet  its subnet
     * @param now     epoch milliseconds
     */
    @Insert("INSERT INTO network_subnets (network, node, subnet, created_at) VALUES (#{network}, #{node}, #{subnet},"
            + " #{now})")
    void insertSubnet(@Param("network") String network, @Param("node") String node, @Param("subnet") String subnet,
                      @Param("now") long now);

    /**
     * @param network the network
     * @param node    the node
     * @return rows deleted
     */
    @Delete("DELETE FROM network_subnets WHERE network = #{network} AND node = #{node}")
    int deleteSubnet(@Param("network") String network, @Param("node") String node);

    /** @return every service's address, by service */
    @Select("SELECT service, address FROM service_addresses")
    @MapKey("service")
    Map<String, Map<String, String>> addresses();

    /**
     * @param service the service
     * @param address its address
     */
    @Insert("INSERT INTO service_addresses (service, address) VALUES (#{service}, #{address})")
    void insertAddress(@Param("service") String service, @Param("address") String address);
}
