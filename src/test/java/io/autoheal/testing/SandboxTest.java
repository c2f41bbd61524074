package io.autoheal.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of the in-process operator against the sandbox (real kube-apiserver, moto): {@code @QuarkusTest} with
 * {@link SandboxResource}, tagged {@code sandbox} so that {@code make check} (no sandbox) leaves it out and
 * {@code make test} runs it. Its per-class set-up is one {@link TestNamespace} extension.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
@Tag(SandboxTest.TAG)
public @interface SandboxTest {
    /** The JUnit tag of every test that needs the sandbox; surefire's excludedGroups in make check. */
    String TAG = "sandbox";
}
