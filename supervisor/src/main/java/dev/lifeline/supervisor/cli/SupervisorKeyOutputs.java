package dev.lifeline.supervisor.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The supervisor's AWS key from the stack outputs {@code supervisorAccessKeyId} and {@code supervisorSecretAccessKey}
 * (provision's AwsBastion makes it). {@code toString} never shows the secret: this record may reach a log.
 *
 * @param hidden the secret came as pulumi's "[secret]" (outputs piped without --show-secrets): nothing to install
 */
record SupervisorKeyOutputs(String accessKeyId, String secretAccessKey, boolean hidden) {
    static final String ID = "supervisorAccessKeyId";
    static final String SECRET = "supervisorSecretAccessKey";
    // IAM's AccessKeyId: 16 to 128 word characters (IAM API reference, AccessKey); a real one is 20 upper-case letters/digits.
    private static final String ID_SHAPE = "[A-Z0-9]{16,128}";

    /** Null when the stack exports no key (a DigitalOcean stack, or one built before the program made it). */
    static SupervisorKeyOutputs parse(JsonNode root) {
        JsonNode id = root.get(ID);
        JsonNode secret = root.get(SECRET);
        if (absent(id) && absent(secret)) {
            return null;
        }
        if (absent(id) || !id.isTextual()) {
            throw new IllegalArgumentException("stack output " + ID + " is missing or not text while " + SECRET
                    + " is there; pipe the outputs of one stack, as pulumi prints them");
        }
        if (absent(secret) || !secret.isTextual()) {
            throw new IllegalArgumentException("stack output " + SECRET + " is missing or not text while " + ID
                    + " is there; pipe pulumi stack output --json --show-secrets");
        }
        String keyId = id.asText().trim();
        if (!keyId.matches(ID_SHAPE)) {
            throw new IllegalArgumentException("stack output " + ID + " must be an AWS access key id (16 or more upper-case"
                    + " letters and digits, e.g. AKIA…; got " + keyId.length() + " characters, not shown)");
        }
        String text = secret.asText().trim();
        if (text.equals(StackOutputs.HIDDEN)) {
            return new SupervisorKeyOutputs(keyId, null, true);
        }
        // one token of printable ASCII: a newline or a bracket could not smuggle another profile into the file
        if (text.length() < 16 || !text.chars().allMatch(c -> c > ' ' && c <= '~') || text.contains("[")) {
            throw new IllegalArgumentException("stack output " + SECRET + " must be an AWS secret access key (16 or more"
                    + " printable characters without spaces; the value is not shown); pipe pulumi stack output --json --show-secrets");
        }
        return new SupervisorKeyOutputs(keyId, text, false);
    }

    /** The AWS shared credentials file that holds this key; see AwsCredentialsFile. */
    String credentialsFileText() {
        return "# lifeline: the supervisor's AWS key (stack outputs " + ID + ", " + SECRET + "), written by lifeline import\n"
                + "[" + dev.lifeline.supervisor.cloud.AwsCredentialsFile.PROFILE + "]\n"
                + "aws_access_key_id = " + accessKeyId + "\n"
                + "aws_secret_access_key = " + secretAccessKey + "\n";
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || (n.isTextual() && n.asText().isBlank());
    }

    @Override
    public String toString() {
        return "SupervisorKeyOutputs[accessKeyId=" + accessKeyId + ", secretAccessKey=" + (hidden ? "[secret]" : "(not shown)") + "]";
    }
}
