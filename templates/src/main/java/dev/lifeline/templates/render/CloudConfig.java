package dev.lifeline.templates.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import dev.lifeline.templates.spec.BastionSpec;

/**
 * The cloud-init user-data: the base template plus every rendered file and the host key. File contents
 * are added through a YAML library, not pasted into the template, so no quoting or indentation in a
 * file can break the document.
 */
public final class CloudConfig {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build());

    private CloudConfig() {
    }

    /** User-data for the VM; it contains the host key and the Twilio token, so treat it as a secret. */
    public static String userData(BastionSpec spec) {
        BastionLayout vm = BastionLayout.onVm();
        String base = Templates.render("cloud-config.yaml", BastionModel.of(spec, vm));
        ObjectNode doc;
        try {
            doc = (ObjectNode) YAML.readTree(base);
        } catch (IOException e) {
            throw new IllegalStateException("templates/bastion/cloud-config.yaml.mustache rendered invalid YAML", e);
        }
        ObjectNode keys = doc.putObject("ssh_keys");
        keys.put("ed25519_private", spec.hostKey().privateKey().reveal());
        keys.put("ed25519_public", spec.hostKey().publicLine());
        ArrayNode writeFiles = doc.putArray("write_files");
        List<RenderedFile> files = BastionFiles.render(spec, vm);
        for (RenderedFile f : files) {
            ObjectNode node = writeFiles.addObject();
            node.put("path", f.path());
            node.put("owner", "root:root");
            node.put("permissions", f.mode());
            if (f.deferred()) {
                node.put("defer", true);
            }
            node.put("content", f.content());
        }
        try {
            return "#cloud-config\n" + YAML.writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
