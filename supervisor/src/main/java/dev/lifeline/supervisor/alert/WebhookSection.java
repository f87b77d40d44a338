package dev.lifeline.supervisor.alert;

import java.net.URI;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.Endpoints;
import dev.lifeline.supervisor.settings.SecretFile;
import dev.lifeline.supervisor.settings.Words;

/**
 * {@code alerts.webhook}: an HTTP POST per alert.
 *
 * @param tokenFile null: no Authorization header; else its content is sent as {@code Authorization: Bearer …}
 */
public record WebhookSection(URI url, Path tokenFile, Format format) {

    public enum Format {
        /** {"title","message","severity","condition","id","at"} */
        JSON,
        /** ntfy.sh: the text as body, Title/Priority/Tags as headers */
        NTFY
    }

    @JsonCreator
    static WebhookSection read(@JsonProperty("url") String url, @JsonProperty("tokenFile") String tokenFile,
                               @JsonProperty("format") String format) {
        return new WebhookSection(Endpoints.required("url", url, "https://ntfy.sh/my-home-alerts"),
                tokenFile == null ? null : SecretFile.checked("tokenFile", tokenFile), Words.parse("format", Format.class, format, Format.JSON));
    }

    public WebhookSection {
        if (url == null) {
            throw new ConfigValueException("url", "url is missing; give the URL alerts are POSTed to");
        }
        // the token is sent in every request: over http anyone on the path reads it
        Endpoints.requireSecretSafe("url", url, "put a bearer token in tokenFile instead",
                tokenFile == null ? null : "when a tokenFile is set (the token would travel in clear text)");
        format = format == null ? Format.JSON : format;
    }
}
