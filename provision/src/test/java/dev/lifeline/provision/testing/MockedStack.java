package dev.lifeline.provision.testing;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.internal.OutputData;
import com.pulumi.resources.Resource;
import com.pulumi.resources.ResourceArgs;
import com.pulumi.resources.ResourceOptions;
import com.pulumi.resources.ResourceTransformation;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.PulumiTestInternal;

import dev.lifeline.provision.LifelineBastion;
import dev.lifeline.templates.stack.StackConfigException;
import dev.lifeline.templates.stack.StackValues;

/**
 * Runs the lifeline program against {@link CloudMocks} and keeps, for every resource, the exact args and
 * options the program constructed it with (through a stack transformation that changes nothing), so tests
 * can check parents, pinned versions and which inputs are secret: facts the engine mocks never see.
 * The stack resource itself is left out: it exists before the program runs.
 */
public final class MockedStack {
    public static final String STACK = "test";
    private static final String STACK_TYPE = "pulumi:pulumi:Stack";

    /** A resource as the program constructed it. */
    public record Constructed(Resource resource, ResourceArgs args, ResourceOptions options) {
    }

    private final CloudMocks cloud;
    private final TestResult result;
    private final List<Constructed> constructed;

    private MockedStack(CloudMocks cloud, TestResult result, List<Constructed> constructed) {
        this.cloud = cloud;
        this.result = result;
        this.constructed = constructed;
    }

    /** Runs the program on these stack values; an exception it throws stays in {@link #result()}. */
    public static MockedStack run(StackValues values) {
        return run(values, new CloudMocks());
    }

    /** Runs the program on these stack values against that cloud. */
    public static MockedStack run(StackValues values, CloudMocks cloud) {
        return run(ctx -> LifelineBastion.define(ctx, values), cloud);
    }

    public static MockedStack run(Consumer<Context> program) {
        return run(program, new CloudMocks());
    }

    public static MockedStack run(Consumer<Context> program, CloudMocks cloud) {
        List<Constructed> constructed = Collections.synchronizedList(new ArrayList<>());
        ResourceTransformation record = args -> {
            if (!STACK_TYPE.equals(args.resource().pulumiResourceType())) {
                constructed.add(new Constructed(args.resource(), args.args(), args.options()));
            }
            return Optional.empty();
        };
        TestOptions options = TestOptions.builder().stackName(STACK).projectName("lifeline")
                .resourceTransformations(List.of(record)).build();
        TestResult result = PulumiTest.withOptions(options).withMocks(cloud).runTest(program);
        return new MockedStack(cloud, result, constructed);
    }

    public CloudMocks cloud() {
        return cloud;
    }

    public TestResult result() {
        return result;
    }

    public List<Constructed> constructed() {
        synchronized (constructed) {
            return List.copyOf(constructed);
        }
    }

    public <T extends Resource> T one(Class<T> type) {
        List<T> all = constructed().stream().map(Constructed::resource).filter(type::isInstance).map(type::cast).toList();
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + " but found " + all.size());
        }
        return all.get(0);
    }

    public Constructed constructedAs(Resource resource) {
        return constructed().stream().filter(c -> c.resource() == resource).findFirst()
                .orElseThrow(() -> new AssertionError("no construction recorded for " + resource));
    }

    /** The config problem the program failed with; fails the test when it failed otherwise, or not at all. */
    public static StackConfigException configProblem(TestResult result) {
        for (Throwable e : result.exceptions()) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StackConfigException problem) {
                    return problem;
                }
            }
        }
        throw new AssertionError("expected the stack to be refused, but it failed with " + result.exceptions());
    }

    public StackConfigException configProblem() {
        return configProblem(result);
    }

    /** The value of a stack output, waited for. */
    public Object output(String name) {
        return PulumiTest.extractValue(result.throwOnError().output(name));
    }

    /** Whether the program exported {@code name} at all. */
    public boolean hasOutput(String name) {
        return result.throwOnError().outputs().containsKey(name);
    }

    /** Whether the stack output {@code name} is marked secret (pulumi then shows it only with --show-secrets). */
    public boolean isSecret(String name) {
        return PulumiTestInternal.extractOutputData(result.throwOnError().output(name)).isSecret();
    }

    /** The input a resource was given under its Pulumi property name, with its secret flag. */
    public static OutputData<?> input(Constructed c, String property) {
        Output<?> output = importedField(c.args(), property);
        return PulumiTestInternal.extractOutputData(output);
    }

    private static Output<?> importedField(ResourceArgs args, String property) {
        for (Class<?> k = args.getClass(); k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                Import imp = f.getAnnotation(Import.class);
                if (imp != null && imp.name().equals(property)) {
                    try {
                        f.setAccessible(true);
                        return (Output<?>) f.get(args);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        throw new AssertionError(args.getClass().getSimpleName() + " has no input '" + property + "'");
    }
}
