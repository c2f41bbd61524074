package io.autoheal.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** The committed examples/, with their placeholder subnets replaced by moto's real ones (as make run does). */
public final class Examples {
    private Examples() {
    }

    public static String render(String file) {
        try {
            String yaml = Files.readString(Sandbox.root().resolve("examples").resolve(file));
            return withSubnets(yaml);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read examples/" + file, e);
        }
    }

    public static String withSubnets(String yaml) {
        List<String> subnets = Moto.defaultSubnets();
        return yaml.replace("subnet-0aaaaaaaaaaaaaaa1", subnets.get(0))
                .replace("subnet-0bbbbbbbbbbbbbbb2", subnets.get(Math.min(1, subnets.size() - 1)));
    }
}
