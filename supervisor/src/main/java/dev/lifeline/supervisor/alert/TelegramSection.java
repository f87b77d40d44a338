package dev.lifeline.supervisor.alert;

import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.Endpoints;
import dev.lifeline.supervisor.settings.SecretFile;

/**
 * {@code alerts.telegram}: messages from a bot to one chat.
 *
 * @param chatId   the chat's number (negative for groups) or {@code @channelname}
 * @param endpoint replaces https://api.telegram.org; null: Telegram itself. For tests.
 */
public record TelegramSection(Path botTokenFile, String chatId, URI endpoint) {
    private static final Pattern CHAT = Pattern.compile("-?\\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}");
    public static final URI TELEGRAM = URI.create("https://api.telegram.org");

    @JsonCreator
    static TelegramSection read(@JsonProperty("botTokenFile") String botTokenFile, @JsonProperty("chatId") String chatId,
                                @JsonProperty("endpoint") String endpoint) {
        return new TelegramSection(SecretFile.checked("botTokenFile", botTokenFile), chatId,
                Endpoints.optional("endpoint", endpoint, "http://127.0.0.1:8080"));
    }

    public TelegramSection {
        if (chatId == null || !CHAT.matcher(chatId.trim()).matches()) {
            throw new ConfigValueException("chatId", "chatId must be the chat's number (e.g. 123456789, or -100… for a group) or @channelname (got " + chatId + ")");
        }
        chatId = chatId.trim();
        endpoint = endpoint == null ? TELEGRAM : endpoint;
    }
}
