package io.autoheal.fleet;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pure: which installation (operator config installation-id) a group, launch template or instance belongs to. Its
 * {@link Tags#INSTALLATION} tag says so; a resource without the tag predates the tag and belongs to the legacy
 * installation "default" only, so two installations in one AWS account never take each other's resources, and an
 * upgraded single installation keeps its fleet.
 */
public final class Installations {
    /** The default installation id, which also owns resources made before the installation tag existed. */
    public static final String LEGACY = "default";
    /** Lowercase letters, digits and '-', 1-32 characters, starting and ending with a letter or digit. */
    public static final Pattern ID = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$");

    private Installations() {
    }

    /** Whether a resource with these tags belongs to {@code installationId}. */
    public static boolean owns(String installationId, Map<String, String> tags) {
        String tagged = tags.get(Tags.INSTALLATION);
        return tagged == null ? LEGACY.equals(installationId) : tagged.equals(installationId);
    }

    /** The installation a resource is tagged with, for messages ("default (untagged)" for a legacy one). */
    public static String of(Map<String, String> tags) {
        String tagged = tags.get(Tags.INSTALLATION);
        return tagged == null ? LEGACY + " (untagged)" : tagged;
    }

    /** Why an installation id is refused, or empty when it is valid. */
    public static Optional<String> invalid(String installationId) {
        if (installationId == null || !ID.matcher(installationId).matches()) {
            return Optional.of("autoheal.installation-id (AUTOHEAL_INSTALLATION_ID, Helm value installationId) must be 1-32 lowercase"
                    + " letters, digits or '-', starting and ending with a letter or digit; got '" + installationId + "'");
        }
        return Optional.empty();
    }
}
