package io.autoheal.bench;

import io.autoheal.fleet.AwsScope;
import io.autoheal.cloud.aws.AwsAttemptMetrics;
import io.autoheal.cloud.aws.AwsClients;
import io.autoheal.cloud.aws.AwsRequestMetrics;
import io.autoheal.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeLifecycleHooksResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeScalingActivitiesResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DescribeAddressesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeAddressesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * AWS's answers, canned: the SDK response objects EC2 and Auto Scaling would return for the synthetic region, served
 * page by page (with next tokens, as the SDK's paginators request them) by SDK client interfaces. Behind them the
 * operator's own {@code AwsClients} → {@code RegionReader} → {@code FleetInventory} → {@code AwsInventory} run
 * unchanged, so the bench measures the real inventory and its {@code RegionSnapshot}. No HTTP, no XML: the SDK's
 * unmarshalling is not in the measure.
 */
final class CannedAws {
    private List<AutoScalingGroup> groups = new ArrayList<>();
    private List<Instance> instances = new ArrayList<>();
    private List<InstanceStatus> statuses = new ArrayList<>();
    private List<Address> addresses = new ArrayList<>();
    /** Indexes for the targeted reads (one group, its instances, their checks and addresses), so the fake's own work stays O(answer). */
    private Map<String, AutoScalingGroup> groupByName;
    private Map<String, List<Instance>> instancesByGroup;
    private Map<String, InstanceStatus> statusById;
    private Map<String, List<Address>> addressesByInstance;
    private final Map<String, List<Instance>> filtered = new java.util.concurrent.ConcurrentHashMap<>();
    /** Calls per operation, as AWS would count them. */
    final Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();

    void add(AutoScalingGroup g) {
        groups.add(g);
    }

    void add(Instance i, InstanceStatus status) {
        instances.add(i);
        if (status != null) {
            statuses.add(status);
        }
    }

    void add(Address a) {
        addresses.add(a);
    }

    /** Forgets the answers: what the operator retains of them is then only what its snapshot keeps. */
    void drop() {
        groups = List.of();
        instances = List.of();
        statuses = List.of();
        addresses = List.of();
        groupByName = null;
        instancesByGroup = null;
        statusById = null;
        addressesByInstance = null;
        filtered.clear();
    }

    private synchronized void index() {
        if (groupByName != null) {
            return;
        }
        groupByName = new java.util.HashMap<>();
        groups.forEach(g -> groupByName.put(g.autoScalingGroupName(), g));
        instancesByGroup = new java.util.HashMap<>();
        instances.forEach(i -> i.tags().stream().filter(t -> t.key().equals(ASG_NAME_TAG)).findFirst()
                .ifPresent(t -> instancesByGroup.computeIfAbsent(t.value(), k -> new ArrayList<>()).add(i)));
        statusById = new java.util.HashMap<>();
        statuses.forEach(st -> statusById.put(st.instanceId(), st));
        addressesByInstance = new java.util.HashMap<>();
        addresses.stream().filter(a -> a.instanceId() != null).forEach(a -> addressesByInstance.computeIfAbsent(a.instanceId(), k -> new ArrayList<>()).add(a));
    }

    private static final String ASG_NAME_TAG = io.autoheal.fleet.Tags.ASG_NAME;
    /** The operations the operator's reads use; everything else either runs as the SDK wrote it or fails loudly. */
    private static final java.util.Set<String> SERVED = java.util.Set.of("describeAutoScalingGroups", "describeLifecycleHooks",
            "describeScalingActivities", "describeInstances", "describeInstanceStatus", "describeAddresses");

    /** The operator's AWS clients, answering from this canned region. */
    AwsClients clients(OperatorConfig config) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AutoScalingClient autoScaling = proxy(AutoScalingClient.class, this::autoScaling);
        Ec2Client ec2 = proxy(Ec2Client.class, this::ec2);
        return new AwsClients(config, new AwsRequestMetrics(registry), new AwsAttemptMetrics(registry)) {
            @Override
            public Ec2Client ec2(AwsScope scope) {
                return ec2;
            }

            @Override
            public Ec2Client ec2SingleAttempt(AwsScope scope) {
                return ec2;
            }

            @Override
            public AutoScalingClient autoScaling(AwsScope scope) {
                return autoScaling;
            }
        };
    }

    private Object autoScaling(String operation, Object request) {
        index();
        return switch (operation) {
            case "describeAutoScalingGroups" -> {
                var r = (DescribeAutoScalingGroupsRequest) request;
                List<AutoScalingGroup> matching = r.hasAutoScalingGroupNames() && !r.autoScalingGroupNames().isEmpty()
                        ? r.autoScalingGroupNames().stream().map(groupByName::get).filter(java.util.Objects::nonNull).toList()
                        : groups; // the inventory's tag filter: every group here is ours
                Page<AutoScalingGroup> page = page(matching, r.nextToken(), r.maxRecords());
                yield DescribeAutoScalingGroupsResponse.builder().autoScalingGroups(page.items()).nextToken(page.next()).build();
            }
            case "describeLifecycleHooks" -> DescribeLifecycleHooksResponse.builder().lifecycleHooks(List.of()).build();
            case "describeScalingActivities" -> DescribeScalingActivitiesResponse.builder().activities(List.of()).build();
            default -> throw new UnsupportedOperationException("the canned Auto Scaling answers no " + operation);
        };
    }

    private Object ec2(String operation, Object request) {
        index();
        return switch (operation) {
            case "describeInstances" -> {
                var r = (DescribeInstancesRequest) request;
                // the full read asks page after page with the same filter: filtered once, not once per page
                List<Instance> matching = oneGroup(r.filters()).map(g -> instancesByGroup.getOrDefault(g, List.of()))
                        .orElseGet(() -> filtered.computeIfAbsent(r.filters().toString(), k -> select(instances, byFilters(r.filters(), CannedAws::instanceFilter))));
                Page<Instance> page = page(matching, r.nextToken(), r.maxResults());
                // an Auto Scaling group launches one instance per reservation
                yield DescribeInstancesResponse.builder().nextToken(page.next())
                        .reservations(page.items().stream().map(i -> Reservation.builder().reservationId("r-" + i.instanceId().substring(2))
                                .ownerId("123456789012").instances(i).build()).toList()).build();
            }
            case "describeInstanceStatus" -> {
                var r = (DescribeInstanceStatusRequest) request;
                List<InstanceStatus> matching = r.hasInstanceIds()
                        ? r.instanceIds().stream().map(statusById::get).filter(java.util.Objects::nonNull).toList() : statuses;
                Page<InstanceStatus> page = page(matching, r.nextToken(), r.maxResults());
                yield DescribeInstanceStatusResponse.builder().instanceStatuses(page.items()).nextToken(page.next()).build();
            }
            case "describeAddresses" -> {
                var r = (DescribeAddressesRequest) request;
                List<Address> matching = r.filters().isEmpty() ? addresses : byInstance(r.filters());
                yield DescribeAddressesResponse.builder().addresses(matching).build();
            }
            default -> throw new UnsupportedOperationException("the canned EC2 answers no " + operation);
        };
    }

    private static Predicate<Instance> instanceFilter(Filter f) {
        return switch (f.name()) {
            case "tag-key" -> i -> i.tags().stream().anyMatch(t -> f.values().contains(t.key()));
            default -> {
                if (!f.name().startsWith("tag:")) {
                    throw new UnsupportedOperationException("the canned EC2 has no instance filter " + f.name());
                }
                String key = f.name().substring(4);
                yield i -> i.tags().stream().anyMatch(t -> t.key().equals(key) && f.values().contains(t.value()));
            }
        };
    }

    /** The targeted read's filter: the instances of one group. */
    private static java.util.Optional<String> oneGroup(List<Filter> filters) {
        return filters.size() == 1 && filters.get(0).name().equals("tag:" + ASG_NAME_TAG) && filters.get(0).values().size() == 1
                ? java.util.Optional.of(filters.get(0).values().get(0)) : java.util.Optional.empty();
    }

    private List<Address> byInstance(List<Filter> filters) {
        if (filters.size() != 1 || !filters.get(0).name().equals("instance-id")) {
            throw new UnsupportedOperationException("the canned EC2 has no address filter " + filters);
        }
        return filters.get(0).values().stream().flatMap(id -> addressesByInstance.getOrDefault(id, List.of()).stream()).toList();
    }

    private static <T> Predicate<T> byFilters(Collection<Filter> filters, Function<Filter, Predicate<T>> each) {
        Predicate<T> all = x -> true;
        for (Filter f : filters) {
            all = all.and(each.apply(f));
        }
        return all;
    }

    private static <T> List<T> select(List<T> from, Predicate<T> which) {
        return from.stream().filter(which).toList();
    }

    private record Page<T>(List<T> items, String next) {
    }

    /** AWS's paging: {@code max} items from the token on (the token is the index here), and the next token if any. */
    private static <T> Page<T> page(List<T> all, String token, Integer max) {
        int from = token == null ? 0 : Integer.parseInt(token);
        int to = max == null ? all.size() : Math.min(all.size(), from + max);
        return new Page<>(List.copyOf(all.subList(from, to)), to < all.size() ? Integer.toString(to) : null);
    }

    private interface Answer {
        Object answer(String operation, Object request);
    }

    /** An SDK client interface: its operations answered here, its default methods (paginators, no-argument forms) as the SDK runs them. */
    private <C> C proxy(Class<C> type, Answer answer) {
        InvocationHandler handler = (proxy, method, args) -> {
            // The SDK declares every operation as a default method that throws: the ones with a request object are
            // answered here; the others (paginators, no-argument and consumer forms) run as the SDK wrote them.
            if (SERVED.contains(method.getName()) && args != null && args.length == 1 && args[0] instanceof software.amazon.awssdk.core.SdkRequest) {
                calls.merge(method.getName(), 1, Integer::sum);
                return answer.answer(method.getName(), args[0]);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "close" -> null;
                case "serviceName" -> type.getSimpleName();
                case "toString" -> "canned " + type.getSimpleName();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException("the canned " + type.getSimpleName() + " answers no " + method.getName());
            };
        };
        return type.cast(Proxy.newProxyInstance(CannedAws.class.getClassLoader(), new Class<?>[]{type}, handler));
    }
}
