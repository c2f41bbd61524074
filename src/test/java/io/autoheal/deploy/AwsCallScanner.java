package io.autoheal.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Finds the AWS API operations the main code calls, by reading its source: every {@code .op(} or {@code .opPaginator(}
 * whose receiver is an {@link Ec2Client}, {@link AutoScalingClient} or {@link SqsClient} (a variable declared with that
 * type, or a call of a method named {@code ec2(...)} / {@code autoScaling(...)} / {@code elb(...)}), mapped to IAM actions
 * ({@code ec2:DescribeInstances}; SQS batch calls to the action that authorizes them).
 * Operation names come from the SDK interfaces themselves, so a new call is found without changing this class.
 */
final class AwsCallScanner {
    /** IAM service prefix per SDK client interface. */
    static final Map<Class<?>, String> CLIENTS = Map.of(Ec2Client.class, "ec2", AutoScalingClient.class, "autoscaling", SqsClient.class, "sqs",
            ElasticLoadBalancingV2Client.class, "elasticloadbalancing");
    /** SQS authorizes its batch operations by the single-message action (there is no IAM action named after them). */
    static final Map<String, String> BATCH_ACTIONS = Map.of("sqs:DeleteMessageBatch", "sqs:DeleteMessage",
            "sqs:SendMessageBatch", "sqs:SendMessage", "sqs:ChangeMessageVisibilityBatch", "sqs:ChangeMessageVisibility");
    private static final Map<String, Class<?>> ACCESSORS = Map.of("ec2", Ec2Client.class, "autoScaling", AutoScalingClient.class,
            "elb", ElasticLoadBalancingV2Client.class);
    private static final Pattern CALL = Pattern.compile("\\.\\s*([a-z][A-Za-z0-9]*)\\s*\\(");

    /** One call site: file:line, the IAM action, or why the receiver could not be told. */
    record Call(String where, String action) {
    }

    record Result(Set<String> actions, List<Call> calls, List<String> unresolved) {
    }

    private final Map<Class<?>, Set<String>> operations = new java.util.HashMap<>();

    AwsCallScanner() {
        CLIENTS.keySet().forEach(c -> operations.put(c, operationsOf(c)));
    }

    /** lowerCamel operation names of an SDK client interface (describeInstances, ...), paginators folded in. */
    static Set<String> operationsOf(Class<?> client) {
        Set<String> ops = new TreeSet<>();
        for (Method m : client.getMethods()) {
            if (m.getDeclaringClass() != client || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 1) {
                continue;
            }
            String name = m.getName();
            String op = name.endsWith("Paginator") ? name.substring(0, name.length() - "Paginator".length()) : name;
            String request = Character.toUpperCase(op.charAt(0)) + op.substring(1) + "Request";
            boolean hasRequest = Stream.of(m.getParameterTypes()).anyMatch(p -> p.getSimpleName().equals(request))
                    || m.getParameterCount() == 1 && m.getParameterTypes()[0] == java.util.function.Consumer.class
                    || m.getParameterCount() == 0 && m.getReturnType().getSimpleName().startsWith(Character.toUpperCase(op.charAt(0)) + op.substring(1));
            if (hasRequest) {
                ops.add(op);
            }
        }
        return ops;
    }

    Result scan(Path sourceRoot) {
        Set<String> actions = new TreeSet<>();
        List<Call> calls = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(sourceRoot)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String code;
            try {
                code = stripCommentsAndStrings(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher m = CALL.matcher(code);
            while (m.find()) {
                String method = m.group(1);
                String op = method.endsWith("Paginator") ? method.substring(0, method.length() - "Paginator".length()) : method;
                List<Class<?>> candidates = operations.entrySet().stream().filter(e -> e.getValue().contains(op))
                        .map(Map.Entry::getKey).collect(Collectors.toList());
                if (candidates.isEmpty()) {
                    continue;
                }
                String where = sourceRoot.relativize(file) + ":" + lineOf(code, m.start());
                Receiver r = receiver(code, m.start());
                if (r.kind == Receiver.Kind.NOT_A_CLIENT) {
                    continue;
                }
                if (r.kind == Receiver.Kind.UNKNOWN || !candidates.contains(r.client)) {
                    unresolved.add(where + " ." + method + "(...) on '" + r.text + "'");
                    continue;
                }
                String called = CLIENTS.get(r.client) + ":" + Character.toUpperCase(op.charAt(0)) + op.substring(1);
                String action = BATCH_ACTIONS.getOrDefault(called, called);
                actions.add(action);
                calls.add(new Call(where, action));
            }
        }
        return new Result(actions, calls, unresolved);
    }

    private record Receiver(Kind kind, Class<?> client, String text) {
        enum Kind { CLIENT, NOT_A_CLIENT, UNKNOWN }
    }

    /** What the call at {@code dot} is made on. */
    private static Receiver receiver(String code, int dot) {
        int i = dot - 1;
        while (i >= 0 && Character.isWhitespace(code.charAt(i))) {
            i--;
        }
        if (i < 0) {
            return new Receiver(Receiver.Kind.UNKNOWN, null, "");
        }
        if (code.charAt(i) == ')') {
            int depth = 0;
            int j = i;
            for (; j >= 0; j--) {
                char c = code.charAt(j);
                if (c == ')') {
                    depth++;
                } else if (c == '(' && --depth == 0) {
                    break;
                }
            }
            int end = j;
            int start = end - 1;
            while (start >= 0 && Character.isWhitespace(code.charAt(start))) {
                start--;
            }
            int idEnd = start + 1;
            while (start >= 0 && Character.isJavaIdentifierPart(code.charAt(start))) {
                start--;
            }
            String name = code.substring(start + 1, idEnd);
            Class<?> client = ACCESSORS.get(name);
            return client != null ? new Receiver(Receiver.Kind.CLIENT, client, name + "(...)")
                    : new Receiver(Receiver.Kind.NOT_A_CLIENT, null, name + "(...)");
        }
        int end = i + 1;
        while (i >= 0 && Character.isJavaIdentifierPart(code.charAt(i))) {
            i--;
        }
        String name = code.substring(i + 1, end);
        if (name.isEmpty()) {
            return new Receiver(Receiver.Kind.UNKNOWN, null, code.substring(Math.max(0, end - 20), end));
        }
        return declaredType(code, name)
                .map(type -> CLIENTS.keySet().stream().filter(c -> c.getSimpleName().equals(type)).findFirst()
                        .<Receiver>map(c -> new Receiver(Receiver.Kind.CLIENT, c, name))
                        .orElse(new Receiver(Receiver.Kind.NOT_A_CLIENT, null, name)))
                .orElseGet(() -> Character.isUpperCase(name.charAt(0))
                        ? new Receiver(Receiver.Kind.NOT_A_CLIENT, null, name) // a static call on a class
                        : new Receiver(Receiver.Kind.UNKNOWN, null, name));
    }

    /** The declared type of a variable in the file: "Ec2Client ec2", or "var ec2 = clients.ec2(region)". */
    private static Optional<String> declaredType(String code, String name) {
        Matcher var = Pattern.compile("\\bvar\\s+" + Pattern.quote(name) + "\\s*=\\s*[^;]*?\\b(ec2|autoScaling)\\s*\\([^;]*;").matcher(code);
        if (var.find()) {
            return Optional.of(ACCESSORS.get(var.group(1)).getSimpleName());
        }
        Matcher typed = Pattern.compile("([A-Z][A-Za-z0-9_.]*)(?:<[^<>;()]*>)?\\s+" + Pattern.quote(name) + "\\s*[=;,)]").matcher(code);
        if (typed.find()) {
            String t = typed.group(1);
            return Optional.of(t.substring(t.lastIndexOf('.') + 1));
        }
        return Optional.empty();
    }

    private static int lineOf(String code, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Blanks comments and string/char literals (keeping newlines), so that text in them is never taken for a call. */
    static String stripCommentsAndStrings(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                blank(src, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 1);
                blank(src, i, end, out);
                i = end;
            } else if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                end = end < 0 ? n : end;
                blank(src, i, end, out);
                i = end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(src, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String src, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(src.charAt(k) == '\n' ? '\n' : ' ');
        }
    }

    static Map<String, List<String>> byAction(List<Call> calls) {
        Map<String, List<String>> out = new TreeMap<>();
        calls.forEach(c -> out.computeIfAbsent(c.action(), k -> new ArrayList<>()).add(c.where()));
        return out;
    }
}
