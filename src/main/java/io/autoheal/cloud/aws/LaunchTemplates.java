package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.LaunchTemplateRef;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.LaunchTemplateResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Resolves the launch template of a cluster: looks up a referenced one, or creates and versions the one the
 * operator owns for an inline machine spec. The spec's hash is stored as the version description, so a new
 * version is created only when the inline spec really changed, and a restart re-derives it from AWS.
 *
 * <p>A launch template version never changes, so what a pass resolved is remembered: the next passes with the same
 * spec cost no AWS call; a changed spec (another hash) reads and writes again, exactly as without the memory (A → B →
 * A gets a new version); our own delete, and any launch template error of a pass ({@link #forget}), drop it.
 */
@ApplicationScoped
public class LaunchTemplates implements LaunchTemplateResolver {
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
    private final AwsClients clients;
    private final String installation;
    /** Per template (region, name or reference, owner), the spec it was last resolved for and the answer. */
    private final Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    /** The cache keys' scope part: templates of one name in two accounts (or two tenants' sessions) are two entries. */
    private static String prefix(AwsScope scope) {
        return scope.region() + "," + scope.roleArn() + "," + scope.namespace();
    }

    public LaunchTemplates(AwsClients clients, io.autoheal.config.OperatorConfig config) {
        this.clients = clients;
        this.installation = config.installationId();
    }

    /** The template carries this cluster's tag and belongs to this installation (untagged: the legacy "default" one). */
    private boolean ours(LaunchTemplate lt, String clusterKey) {
        Map<String, String> tags = new java.util.HashMap<>();
        lt.tags().forEach(t -> tags.put(t.key(), t.value()));
        return clusterKey.equals(tags.get(Tags.CLUSTER)) && io.autoheal.fleet.Installations.owns(installation, tags);
    }

    /**
     * The name this cluster's template had before installations were named in it (ClusterNames.legacy): such a template
     * is found and kept, so an upgrade does not roll every machine to a new template.
     */
    static String legacyName(String clusterKey) {
        return "autoheal-" + clusterKey.replace('/', '-');
    }

    /** The template of that name, or of the legacy name when only a legacy one of ours exists. */
    private Optional<LaunchTemplate> findOwned(Ec2Client ec2, String name, String clusterKey) {
        Optional<LaunchTemplate> named = findByName(ec2, name);
        if (named.isPresent() || name.equals(legacyName(clusterKey))) {
            return named;
        }
        return findByName(ec2, legacyName(clusterKey)).filter(lt -> ours(lt, clusterKey));
    }

    private record Cached(String spec, Resolved resolved) {
    }

    private Resolved cached(String template, String spec, java.util.function.Supplier<Resolved> read) {
        Cached c = cache.get(template);
        if (c != null && c.spec().equals(spec)) {
            return c.resolved();
        }
        Resolved r = read.get();
        cache.put(template, new Cached(spec, r));
        return r;
    }

    /** A pass hit a launch template error (deleted by hand, not found): resolve this region's templates anew. */
    @Override
    public void forget(AwsScope scope) {
        cache.keySet().removeIf(k -> k.startsWith(prefix(scope) + "|"));
    }

    @Override
    public Resolved resolveReference(AwsScope scope, LaunchTemplateRef ref) {
        return AwsFailures.call(() -> cached(prefix(scope) + "|ref|" + ref.id + "|" + ref.name, String.valueOf(ref.version), () -> readReference(scope, ref)));
    }

    private Resolved readReference(AwsScope scope, LaunchTemplateRef ref) {
        Ec2Client ec2 = clients.ec2(scope);
        var response = ref.id != null
                ? ec2.describeLaunchTemplates(b -> b.launchTemplateIds(ref.id))
                : ec2.describeLaunchTemplates(b -> b.launchTemplateNames(ref.name));
        LaunchTemplate lt = response.launchTemplates().get(0);
        return new Resolved(lt.launchTemplateId(), ref.version == null ? "$Latest" : ref.version, false);
    }

    /**
     * The owned template at the inline spec's version, created or versioned when needed. Both writes carry a client
     * token derived from what they create, so AWS answers a repeat (an SDK retry after a lost answer, or the next
     * pass while AWS' eventually consistent reads do not show the first result yet) with the first result instead of
     * a second template or version.
     *
     * @param incarnation the cluster object's uid: a cluster deleted and created again under the same name must not
     *                    get the deleted template back from a remembered token
     */
    @Override
    public Resolved ensureOwned(AwsScope scope, String name, String clusterKey, String incarnation, InlineMachine machine,
                                Map<String, String> instanceTags) {
        return AwsFailures.call(() -> ensureOwnedInAws(scope, name, clusterKey, incarnation, machine, instanceTags));
    }

    private Resolved ensureOwnedInAws(AwsScope scope, String name, String clusterKey, String incarnation, InlineMachine machine,
                                      Map<String, String> instanceTags) {
        String template = String.join("|", prefix(scope), "owned", name, clusterKey, incarnation);
        return cached(template, hash(machine) + "|" + new TreeMap<>(instanceTags),
                () -> readOrWriteOwned(scope, name, clusterKey, incarnation, machine, instanceTags));
    }

    private Resolved readOrWriteOwned(AwsScope scope, String name, String clusterKey, String incarnation, InlineMachine machine,
                                      Map<String, String> instanceTags) {
        Ec2Client ec2 = clients.ec2(scope);
        String hash = hash(machine);
        Optional<LaunchTemplate> existing = findOwned(ec2, name, clusterKey);
        if (existing.isEmpty()) {
            return new Resolved(createTemplate(scope, name, clusterKey, incarnation, machine, instanceTags), "1", true);
        }
        LaunchTemplate lt = existing.get();
        if (!ours(lt, clusterKey)) {
            String owner = lt.tags().stream().filter(t -> Tags.CLUSTER.equals(t.key())).map(Tag::value).findFirst()
                    .map(v -> "tagged " + Tags.CLUSTER + "=" + v).orElse("not tagged " + Tags.CLUSTER)
                    + " of installation " + lt.tags().stream().filter(t -> Tags.INSTALLATION.equals(t.key())).map(Tag::value).findFirst()
                    .orElse("default (untagged)");
            throw new NotOwnedException("Launch template " + name + " (" + lt.launchTemplateId() + ") exists but is " + owner
                    + ", not " + clusterKey + " of installation " + installation + ": the operator never touches it. Delete or rename it, or reference it with"
                    + " spec.template.launchTemplate instead of an inline machine");
        }
        LaunchTemplateVersion latest = ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(lt.launchTemplateId())
                .versions(String.valueOf(lt.latestVersionNumber()))).launchTemplateVersions().get(0);
        if (hash.equals(latest.versionDescription())) {
            return new Resolved(lt.launchTemplateId(), String.valueOf(latest.versionNumber()), true);
        }
        long version = createVersion(scope, lt.launchTemplateId(), latest.versionNumber(), machine, instanceTags);
        return new Resolved(lt.launchTemplateId(), String.valueOf(version), true);
    }

    /** Creates the owned template (version 1 = the inline spec), tagged with its owner; returns its id. */
    String createTemplate(AwsScope scope, String name, String clusterKey, String incarnation, InlineMachine machine,
                          Map<String, String> instanceTags) {
        String hash = hash(machine);
        return clients.ec2(scope).createLaunchTemplate(b -> b.launchTemplateName(name).versionDescription(hash)
                .clientToken(clientToken(clusterKey, String.valueOf(incarnation), name, hash, new TreeMap<>(instanceTags).toString()))
                .launchTemplateData(data(machine, instanceTags))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.LAUNCH_TEMPLATE)
                        .tags(Tag.builder().key(Tags.CLUSTER).value(clusterKey).build(),
                                Tag.builder().key(Tags.INSTALLATION).value(installation).build()).build()))
                .launchTemplate().launchTemplateId();
    }

    /**
     * Adds a version with the inline spec after {@code basedOn}; returns its number. The version it follows is part of
     * the token, so a spec that goes A → B → A → B gets a new version each time, and a repeat of one create does not.
     */
    long createVersion(AwsScope scope, String templateId, long basedOn, InlineMachine machine, Map<String, String> instanceTags) {
        String hash = hash(machine);
        return clients.ec2(scope).createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).versionDescription(hash)
                .clientToken(clientToken(templateId, String.valueOf(basedOn), hash, new TreeMap<>(instanceTags).toString()))
                .launchTemplateData(data(machine, instanceTags))).launchTemplateVersion().versionNumber();
    }

    /** A client token (EC2 takes up to 64 ASCII characters) that is the same whenever the parts are the same. */
    static String clientToken(String... parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
            return "autoheal-" + HexFormat.of().formatHex(digest).substring(0, 48);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Deletes the operator-owned template if it exists and carries our tag; repeating it is harmless. */
    @Override
    public void deleteOwned(AwsScope scope, String name, String clusterKey) {
        AwsFailures.run(() -> deleteOwnedInAws(scope, name, clusterKey));
    }

    private void deleteOwnedInAws(AwsScope scope, String name, String clusterKey) {
        cache.keySet().removeIf(k -> k.startsWith(prefix(scope) + "|owned|" + name + "|"));
        cache.keySet().removeIf(k -> k.startsWith(prefix(scope) + "|owned|" + legacyName(clusterKey) + "|"));
        Ec2Client ec2 = clients.ec2(scope);
        findOwned(ec2, name, clusterKey).filter(lt -> ours(lt, clusterKey))
                .ifPresent(lt -> ec2.deleteLaunchTemplate(b -> b.launchTemplateId(lt.launchTemplateId())));
    }

    @Override
    public void disownOwned(AwsScope scope, String name, String clusterKey, String orphanedFrom) {
        AwsFailures.run(() -> disownOwnedInAws(scope, name, clusterKey, orphanedFrom));
    }

    private void disownOwnedInAws(AwsScope scope, String name, String clusterKey, String orphanedFrom) {
        cache.keySet().removeIf(k -> k.startsWith(prefix(scope) + "|owned|" + name + "|"));
        cache.keySet().removeIf(k -> k.startsWith(prefix(scope) + "|owned|" + legacyName(clusterKey) + "|"));
        Ec2Client ec2 = clients.ec2(scope);
        findOwned(ec2, name, clusterKey).filter(lt -> ours(lt, clusterKey)).ifPresent(lt -> {
            ec2.createTags(b -> b.resources(lt.launchTemplateId()).tags(Tag.builder().key(Tags.ORPHANED_FROM).value(orphanedFrom).build()));
            ec2.deleteTags(b -> b.resources(lt.launchTemplateId()).tags(Tag.builder().key(Tags.CLUSTER).value(clusterKey).build()));
        });
    }

    private static Optional<LaunchTemplate> findByName(Ec2Client ec2, String name) {
        try {
            return ec2.describeLaunchTemplates(b -> b.launchTemplateNames(name)).launchTemplates().stream().findFirst();
        } catch (AwsServiceException e) {
            if (AwsErrors.errorCode(e).startsWith("InvalidLaunchTemplateName.NotFound")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static RequestLaunchTemplateData data(InlineMachine m, Map<String, String> instanceTags) {
        Map<String, String> tags = new TreeMap<>();
        if (m.tags != null) {
            tags.putAll(m.tags);
        }
        tags.putAll(instanceTags);
        List<Tag> ec2Tags = new ArrayList<>();
        tags.forEach((k, v) -> ec2Tags.add(Tag.builder().key(k).value(v).build()));
        var b = RequestLaunchTemplateData.builder().imageId(m.imageId).instanceType(m.instanceType)
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(ec2Tags));
        if (m.keyName != null) {
            b.keyName(m.keyName);
        }
        if (m.securityGroupIds != null && !m.securityGroupIds.isEmpty()) {
            b.securityGroupIds(m.securityGroupIds);
        }
        if (m.iamInstanceProfile != null) {
            b.iamInstanceProfile(p -> {
                if (m.iamInstanceProfile.startsWith("arn:")) {
                    p.arn(m.iamInstanceProfile);
                } else {
                    p.name(m.iamInstanceProfile);
                }
            });
        }
        if (m.userData != null) {
            b.userData(Base64.getEncoder().encodeToString(m.userData.getBytes(StandardCharsets.UTF_8)));
        }
        return b.build();
    }

    static String hash(InlineMachine machine) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(machine);
            return "autoheal-spec-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the inline machine spec", e);
        }
    }
}
