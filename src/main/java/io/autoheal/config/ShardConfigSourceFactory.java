package io.autoheal.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Sharding in one setting: with {@code autoheal.shard=X} (env AUTOHEAL_SHARD) this operator reconciles only the
 * HealingClusters and ElasticIpPools labelled {@value #LABEL}=X (the SDK's label selector on both controllers) and
 * takes its own Lease (autoheal-operator-lease-X), so several shards run side by side, each with its own inventory
 * and AWS budget. Without a shard it reconciles only resources without that label. Values set explicitly (a selector,
 * a lease name) win: this source ranks below env and properties.
 */
public class ShardConfigSourceFactory implements ConfigSourceFactory {
    public static final String LABEL = "autoheal.io/shard";
    static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue shard = context.getValue("autoheal.shard");
        boolean sharded = shard != null && shard.getValue() != null && !shard.getValue().isBlank();
        return List.of(new MapBackedConfigSource("autoheal-shard", sharded ? properties(shard.getValue().trim()) : unsharded(), ORDINAL) {
        });
    }

    /** Without a shard: every resource that carries no shard label, so it never decides beside a shard's operator. */
    static Map<String, String> unsharded() {
        String selector = "!" + LABEL;
        return Map.of(
                "quarkus.operator-sdk.controllers.healingcluster.selector", selector,
                "quarkus.operator-sdk.controllers.elasticippool.selector", selector);
    }

    static Map<String, String> properties(String shard) {
        String selector = LABEL + "=" + shard;
        return Map.of(
                "quarkus.operator-sdk.controllers.healingcluster.selector", selector,
                "quarkus.operator-sdk.controllers.elasticippool.selector", selector,
                "autoheal.leader-election.lease-name", "autoheal-operator-lease-" + shard);
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
