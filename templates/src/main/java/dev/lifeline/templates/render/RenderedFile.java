package dev.lifeline.templates.render;

/**
 * One file for the bastion.
 *
 * @param path     absolute path on the bastion (without any layout root)
 * @param content  the file's text
 * @param mode     octal permissions, e.g. "0644"
 * @param secret   holds a secret (host key, Twilio token): written 0600 and never printed
 * @param deferred written after packages are installed (its directory or owner comes with a package)
 */
public record RenderedFile(String path, String content, String mode, boolean secret, boolean deferred) {

    @Override
    public String toString() {
        return path + " (" + mode + (secret ? ", secret" : "") + ", " + content.length() + " chars)";
    }
}
