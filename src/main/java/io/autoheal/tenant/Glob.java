package io.autoheal.tenant;

import java.util.List;

/**
 * The allow-list patterns of a TenantPolicy: '*' matches any run of characters (also none, also '/'), every other
 * character only itself. The admission policy (deploy/base/tenant-policy-admission.yaml) turns a pattern into the same
 * regular expression; keep the two equal.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(String pattern, String value) {
        return matches(pattern, 0, value, 0);
    }

    /** An absent list (null) allows anything, an empty list nothing, otherwise a value must match one pattern. */
    public static boolean allowedBy(List<String> patterns, String value) {
        return patterns == null || patterns.stream().anyMatch(p -> matches(p, value));
    }

    // Iterative matcher with one backtrack point (the last '*'): linear in practice, no regex, no stack growth.
    private static boolean matches(String p, int pi, String v, int vi) {
        int star = -1;
        int mark = 0;
        while (vi < v.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = vi;
            } else if (pi < p.length() && p.charAt(pi) == v.charAt(vi)) {
                pi++;
                vi++;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
