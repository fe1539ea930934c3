package uk.anprhub.connector.decode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodersTest {

    @Test
    void knownNamesGiveSharedInstances() {
        assertThat(Decoders.byName("json")).isInstanceOf(JsonDecoder.class);
        assertThat(Decoders.byName("jsonc")).isInstanceOf(JsoncDecoder.class);
        assertThat(Decoders.byName("xml")).isInstanceOf(XmlDecoder.class);
        assertThat(Decoders.byName("kv")).isInstanceOf(KvDecoder.class);
        assertThat(Decoders.byName("multipart")).isInstanceOf(MultipartDecoder.class);
        assertThat(Decoders.byName("filename")).isInstanceOf(FilenameDecoder.class);
        assertThat(Decoders.byName("text")).isInstanceOf(TextDecoder.class);
        assertThat(Decoders.byName("xml")).isSameAs(Decoders.byName("xml"));
        assertThat(Decoders.names()).containsExactly("filename", "json", "jsonc", "kv", "multipart", "text", "xml");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Decoders.byName("binary-frame"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binary-frame")
                .hasMessageContaining("filename, json, jsonc, kv, multipart, text, xml");
        assertThatThrownBy(() -> Decoders.byName(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
