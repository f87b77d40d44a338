package dev.lifeline.provision.testing;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * Answers the program's {@code aws:ec2/getAmi:getAmi} call the way the AWS provider does — one
 * DescribeImages with the call's owners and filters, then the newest by creation date when mostRecent is
 * set, an error when nothing matches — but asks a real EC2 implementation. Only the translation is ours;
 * which image matches owners, name pattern and architecture is the emulator's answer.
 */
public final class Ec2ImageLookup implements Function<Map<String, Object>, Map<String, Object>>, AutoCloseable {
    private final Ec2Client ec2;

    public Ec2ImageLookup(URI endpoint, String region) {
        this.ec2 = Ec2Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)))
                .build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> apply(Map<String, Object> args) {
        DescribeImagesRequest.Builder request = DescribeImagesRequest.builder();
        if (args.get("owners") instanceof List<?> owners) {
            request.owners((List<String>) owners);
        }
        if (args.get("filters") instanceof List<?> filters) {
            request.filters(filters.stream().map(f -> (Map<String, Object>) f)
                    .map(f -> Filter.builder().name((String) f.get("name")).values((List<String>) f.get("values")).build())
                    .toList());
        }
        List<Image> images = ec2.describeImages(request.build()).images();
        if (images.isEmpty()) {
            // The provider's own words for this case.
            throw new IllegalStateException("Your query returned no results. Please change your search criteria and try again.");
        }
        if (images.size() > 1 && !Boolean.TRUE.equals(args.get("mostRecent"))) {
            throw new IllegalStateException("Your query returned more than one result. Please try a more specific search criteria, or set `most_recent` attribute to true.");
        }
        Image image = images.stream().max(Comparator.comparing(Image::creationDate)).orElseThrow();
        return Map.of("id", image.imageId(), "imageId", image.imageId(), "name", image.name(),
                "architecture", image.architectureAsString(), "ownerId", image.ownerId(),
                "creationDate", image.creationDate());
    }

    @Override
    public void close() {
        ec2.close();
    }
}
