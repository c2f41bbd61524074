package io.autoheal.api.v1alpha1;

/** API group and version of the autoheal custom resources. */
public final class ApiGroup {
    public static final String GROUP = "autoheal.io";
    public static final String VERSION = "v1alpha1";

    private ApiGroup() {
    }
}
