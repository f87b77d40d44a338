package dev.lifeline.provision.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.pulumi.test.Mocks;

/**
 * A stand-in for the AWS and DigitalOcean providers: every resource gets its inputs back as state plus
 * what the real cloud would add (ids, addresses), and {@code getAmi} answers with a fixed
 * image unless told otherwise. Everything asked of it is recorded for the tests to inspect.
 */
public final class CloudMocks implements Mocks {
    public static final String INSTANCE_ID = "i-0a1b2c3d4e5f60718";
    public static final String ELASTIC_IP = "203.0.113.10";
    public static final String ALLOCATION_ID = "eipalloc-0f1e2d3c4b5a69788";
    public static final String DEBIAN_AMI = "ami-0d3b1e2a4c5f60789";
    public static final String DROPLET_ID = "424242";
    public static final String RESERVED_IP = "203.0.113.20";
    public static final String GET_AMI = "aws:ec2/getAmi:getAmi";
    public static final String ACCOUNT = "123456789012";
    /**
     * The instance's ARN as the provider reports it: arn:aws:ec2:REGION:ACCOUNT:instance/ID (AWS Compute Optimizer API
     * reference, "arn:aws:ec2:region:aws_account_id:instance/instance-id"), in the region of TestStacks.validAws().
     */
    public static final String INSTANCE_ARN = "arn:aws:ec2:eu-central-1:" + ACCOUNT + ":instance/" + INSTANCE_ID;
    /** A new access key as IAM answers it; the example pair of AWS's own documentation. */
    public static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    public static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /** One resource the program asked the engine to create. */
    public record Created(String type, String name, Map<String, Object> inputs, String id, Map<String, Object> state) {
    }

    /** One provider function the program called. */
    public record Called(String token, Map<String, Object> args) {
    }

    private final Function<Map<String, Object>, Map<String, Object>> amiLookup;
    private final List<Created> created = Collections.synchronizedList(new ArrayList<>());
    private final List<Called> called = Collections.synchronizedList(new ArrayList<>());

    /** A cloud whose getAmi answers with Debian's image {@link #DEBIAN_AMI}. */
    public CloudMocks() {
        this(args -> debianImage(DEBIAN_AMI, "debian-12-arm64-20250610-2137"));
    }

    /**
     * A cloud whose getAmi is answered by {@code amiLookup} from the call's arguments (owners, filters,
     * mostRecent): a fixed newer image, or a real EC2 emulator's DescribeImages.
     */
    public CloudMocks(Function<Map<String, Object>, Map<String, Object>> amiLookup) {
        this.amiLookup = amiLookup;
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        Map<String, Object> inputs = args.inputs == null ? Map.of() : Map.copyOf(args.inputs);
        Map<String, Object> state = new HashMap<>(inputs);
        String id = switch (args.type) {
            case "aws:ec2/instance:Instance" -> {
                state.put("arn", INSTANCE_ARN);
                yield INSTANCE_ID;
            }
            case "aws:iam/user:User" -> {
                // Pulumi's auto-name: the resource name and a random suffix.
                state.put("name", args.name + "-5f3a2c1");
                state.put("arn", "arn:aws:iam::" + ACCOUNT + ":user" + inputs.getOrDefault("path", "/") + args.name + "-5f3a2c1");
                yield args.name + "-5f3a2c1";
            }
            case "aws:iam/accessKey:AccessKey" -> {
                state.put("secret", SECRET_ACCESS_KEY);
                yield ACCESS_KEY_ID;
            }
            case "aws:ec2/eip:Eip" -> {
                state.put("publicIp", ELASTIC_IP);
                state.put("allocationId", ALLOCATION_ID);
                yield ALLOCATION_ID;
            }
            case "aws:ec2/keyPair:KeyPair" -> {
                state.put("keyName", args.name + "-key");
                yield args.name + "-key";
            }
            case "digitalocean:index/droplet:Droplet" -> DROPLET_ID;
            case "digitalocean:index/reservedIp:ReservedIp" -> {
                state.put("ipAddress", RESERVED_IP);
                yield RESERVED_IP;
            }
            default -> args.name + "-id";
        };
        created.add(new Created(args.type, args.name, inputs, id, Map.copyOf(state)));
        return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        called.add(new Called(args.token, args.args == null ? Map.of() : Map.copyOf(args.args)));
        if (GET_AMI.equals(args.token)) {
            return CompletableFuture.supplyAsync(() -> amiLookup.apply(args.args == null ? Map.of() : args.args));
        }
        return CompletableFuture.completedFuture(Map.of());
    }

    public List<Created> created() {
        synchronized (created) {
            return List.copyOf(created);
        }
    }

    public List<Created> created(String type) {
        return created().stream().filter(c -> c.type().equals(type)).toList();
    }

    /** The single resource of that type; fails the test when there is none or more than one. */
    public Created one(String type) {
        List<Created> all = created(type);
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one " + type + " but the program created " + all.size());
        }
        return all.get(0);
    }

    public List<Called> called(String token) {
        synchronized (called) {
            return called.stream().filter(c -> c.token().equals(token)).toList();
        }
    }

    /** A getAmi answer as the AWS provider gives it, for an image of Debian's account. */
    public static Map<String, Object> debianImage(String id, String name) {
        Map<String, Object> image = new HashMap<>();
        image.put("id", id);
        image.put("imageId", id);
        image.put("name", name);
        image.put("architecture", name.contains("-arm64-") ? "arm64" : "x86_64");
        image.put("mostRecent", true);
        return image;
    }
}
