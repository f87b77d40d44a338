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

    /**
     * EC2 refuses user-data over 16 KiB (raw, before base64: "User data is limited to 16 KB, in raw form, before it is
     * base64-encoded", Amazon EC2 User Guide, "Work with instance user data"); gzip keeps ours far below it.
     */
    public static final int EC2_USER_DATA_LIMIT = 16 * 1024;

    /**
     * The same user-data gzipped and base64-encoded, as EC2's userDataBase64 takes it (cloud-init recognises gzip).
     *
     * @throws IllegalStateException if even compressed it would not fit EC2's limit
     */
    public static String userDataGzipBase64(BastionSpec spec) {
        return gzipBase64(userData(spec));
    }

    /** {@link #userData} text, already rendered, in EC2's form: gzipped and base64-encoded, checked against the limit. */
    public static String gzipBase64(String userData) {
        byte[] gz = gzip(userData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (gz.length > EC2_USER_DATA_LIMIT) {
            throw new IllegalStateException("user-data is " + gz.length + " bytes gzipped, over EC2's " + EC2_USER_DATA_LIMIT);
        }
        return java.util.Base64.getEncoder().encodeToString(gz);
    }

    static byte[] gzip(byte[] data) {
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
        // Appended in cloud-init's first stage, before sshd takes its first login: no login goes unalerted.
        ObjectNode pam = writeFiles.addObject();
        pam.put("path", "/etc/pam.d/sshd");
        pam.put("append", true);
        pam.put("content", "@include lifeline-login-alert\n");
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
