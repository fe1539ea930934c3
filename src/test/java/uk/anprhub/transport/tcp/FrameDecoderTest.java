package uk.anprhub.transport.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.message.Reason;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every framing on a real Netty pipeline (EmbeddedChannel): the same stream delivered whole, byte by byte and in
 * every two-piece split must give the same frames; oversize and unframeable input give one error and nothing more.
 */
class FrameDecoderTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> strings(List<Object> out) {
        List<String> s = new ArrayList<>();
        for (Object o : out) {
            s.add(o instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : o.toString());
        }
        return s;
    }

    /** Decodes {@code stream} cut into pieces at {@code cuts}. */
    private static FrameDecoder decoder(FrameCutter cutter) {
        return new FrameDecoder(cutter, 1000, Duration.ZERO);
    }

    static List<Object> decode(Supplier<FrameCutter> cutter, byte[] stream, int... cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder(cutter.get()));
        int from = 0;
        for (int cut : cuts) {
            ch.writeInbound(Unpooled.wrappedBuffer(stream, from, cut - from));
            from = cut;
        }
        ch.writeInbound(Unpooled.wrappedBuffer(stream, from, stream.length - from));
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    /** Whole, every two-piece split, and one byte at a time all give {@code expected}. */
    static void assertFrames(Supplier<FrameCutter> scanner, byte[] stream, String... expected) {
        assertThat(strings(decode(scanner, stream))).as("whole").containsExactly(expected);
        for (int cut = 1; cut < stream.length; cut++) {
            assertThat(strings(decode(scanner, stream, cut))).as("split at " + cut).containsExactly(expected);
        }
        int[] every = new int[stream.length - 1];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(strings(decode(scanner, stream, every))).as("byte by byte").containsExactly(expected);
    }

    static FrameDecoder.FramingError singleError(List<Object> out) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isInstanceOf(FrameDecoder.FramingError.class);
        return (FrameDecoder.FramingError) out.get(0);
    }

    @Test
    void lines() {
        assertFrames(() -> DelimitedFrames.lines(100), b("one\r\ntwo\n\n\r\nthree £\n"), "one", "two", "three £");
        assertThat(strings(decode(() -> DelimitedFrames.lines(100), b("no end yet")))).isEmpty();
    }

    @Test
    void aLineLongerThanTheLimitIsTooLargeWithItsFirstBytesAsSample() {
        byte[] stream = b("ok\n" + "x".repeat(5000) + "\nnext\n");
        List<Object> out = decode(() -> DelimitedFrames.lines(1000), stream, 100, 2000);
        assertThat(out.get(0)).isEqualTo(b("ok"));
        FrameDecoder.FramingError e = singleError(out.subList(1, out.size()));
        assertThat(e.reason().code()).isEqualTo("too-large");
        assertThat(e.sample()).hasSizeLessThanOrEqualTo(FrameDecoder.SAMPLE_BYTES).startsWith(b("xxxx"));
        assertThat(e.detail()).doesNotContain("xxx");
    }

    @Test
    void stxEtxSkipsNoiseBetweenFramesAndRestartsOnANewStx() {
        assertFrames(() -> DelimitedFrames.stxEtx(100), b("noise\u0002one\u0003\r\n\u0002\u0003\u0002abandoned\u0002two\u0003"),
                "one", "two");
    }

    @Test
    void multiByteDelimiters() {
        assertFrames(() -> new DelimitedFrames(b("<<"), b(">>\r\n"), false, 100), b("<<a>b>>\r\n..<<c>>\r\n"), "a>b", "c");
        assertFrames(() -> new DelimitedFrames(null, b("\r\n\r\n"), false, 100), b("a\r\nb\r\n\r\nc\r\n\r\n"), "a\r\nb", "c");
    }

    private static byte[] lengthFrame(int offset, byte[] magic, int fieldLength, ByteOrder order, long value, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(magic, 0, offset);
        ByteBuffer field = ByteBuffer.allocate(8).order(order);
        switch (fieldLength) {
            case 1 -> field.put((byte) value);
            case 2 -> field.putShort((short) value);
            case 4 -> field.putInt((int) value);
            default -> field.putLong(value);
        }
        out.writeBytes(java.util.Arrays.copyOf(field.array(), fieldLength));
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Test
    void lengthPrefixedEveryFieldSizeAndByteOrder() {
        for (int size : new int[]{1, 2, 4, 8}) {
            for (ByteOrder order : new ByteOrder[]{ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                stream.writeBytes(lengthFrame(0, new byte[0], size, order, 5, b("hello")));
                stream.writeBytes(lengthFrame(0, new byte[0], size, order, 0, b("")));
                stream.writeBytes(lengthFrame(0, new byte[0], size, order, 3, b("end")));
                assertFrames(() -> new LengthFieldFrames(0, size, order, 0, null, 100), stream.toByteArray(), "hello", "", "end");
            }
        }
    }

    @Test
    void lengthPrefixedWithMagicOffsetWholeFrameLengthAndTrailer() {
        // Milesight-like: CC FF magic, 4-byte little-endian length of the whole frame, body, FF DD trailer
        byte[] magic = {(byte) 0xCC, (byte) 0xFF};
        byte[] body1 = b("{\"plate\":\"AB12CDE\"}\u00ff\u00dd");
        byte[] body2 = b("{}\u00ff\u00dd");
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(lengthFrame(2, magic, 4, ByteOrder.LITTLE_ENDIAN, 6 + body1.length, body1));
        stream.writeBytes(lengthFrame(2, magic, 4, ByteOrder.LITTLE_ENDIAN, 6 + body2.length, body2));
        assertFrames(() -> new LengthFieldFrames(2, 4, ByteOrder.LITTLE_ENDIAN, -6, null, 1000), stream.toByteArray(),
                new String(body1, StandardCharsets.UTF_8), new String(body2, StandardCharsets.UTF_8));
        // strip 0 keeps the header
        assertThat(decode(() -> new LengthFieldFrames(2, 4, ByteOrder.LITTLE_ENDIAN, -6, 0, 1000),
                lengthFrame(2, magic, 4, ByteOrder.LITTLE_ENDIAN, 8, b("ok")))).singleElement()
                .isEqualTo(lengthFrame(2, magic, 4, ByteOrder.LITTLE_ENDIAN, 8, b("ok")));
    }

    @Test
    void lengthPrefixedOversizeIsRefusedFromTheHeaderAlone() {
        FrameDecoder.FramingError e = singleError(decode(() -> new LengthFieldFrames(0, 4, ByteOrder.BIG_ENDIAN, 0, null, 1000),
                lengthFrame(0, new byte[0], 4, ByteOrder.BIG_ENDIAN, 50_000_000, b("partial body"))));
        assertThat(e.reason().code()).isEqualTo("too-large");
        assertThat(e.detail()).contains("50000004");
        FrameDecoder.FramingError huge = singleError(decode(() -> new LengthFieldFrames(0, 8, ByteOrder.BIG_ENDIAN, 0, null, 1000),
                lengthFrame(0, new byte[0], 8, ByteOrder.BIG_ENDIAN, -1, b("x"))));
        assertThat(huge.reason().code()).isEqualTo("too-large");
        FrameDecoder.FramingError shorter = singleError(decode(() -> new LengthFieldFrames(0, 2, ByteOrder.BIG_ENDIAN, -10, null, 1000),
                lengthFrame(0, new byte[0], 2, ByteOrder.BIG_ENDIAN, 3, b("abc"))));
        assertThat(shorter.reason().code()).isEqualTo("undecodable");
    }

    @Test
    void concatenatedJson() {
        String a = "{\"vrm\":\"AB{12}\",\"s\":\"quote \\\" and \\\\\",\"n\":{\"x\":[1,{\"y\":\"]\"}]},\"t\":\"Tölz\"}";
        String arr = "[{\"vrm\":\"X\"},{\"vrm\":\"Y\"}]";
        assertFrames(() -> new JsonStreamScanner(1000), b("\uFEFF " + a + arr + "\r\n,{}" + a), a, arr, "{}", a);
    }

    @Test
    void jsonOversizeAndGarbage() {
        FrameDecoder.FramingError big = singleError(decode(() -> new JsonStreamScanner(100),
                b("{\"a\":\"" + "x".repeat(500) + "\"}{}"), 50, 300));
        assertThat(big.reason().code()).isEqualTo("too-large");
        assertThat(big.sample()).startsWith(b("{\"a\":\"xxx"));
        List<Object> out = decode(() -> new JsonStreamScanner(100), b("{\"a\":1} hello {}"));
        assertThat(out.get(0)).isEqualTo(b("{\"a\":1}"));
        assertThat(singleError(out.subList(1, out.size())).reason().code()).isEqualTo("undecodable");
    }

    @Test
    void concatenatedXmlDocuments() {
        String d1 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a > comment <x> -->\n"
                + "<!DOCTYPE r [<!ENTITY e \"v>\">]>\n<r a=\"1>2\" b='<'><r>nested same name</r><![CDATA[ </r> ]]>"
                + "<e/><?pi x>y?>text</r>";
        String d2 = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                + "<x>Tölz</x></soapenv:Body></soapenv:Envelope>";
        String d3 = "<empty attr=\"/>\"/>";
        assertFrames(() -> new XmlStreamScanner(1000), b("\uFEFF" + d1 + "\r\n" + d2 + d3 + "\n" + d2), d1, d2, d3, d2);
    }

    @Test
    void xmlOversizeAndGarbage() {
        FrameDecoder.FramingError big = singleError(decode(() -> new XmlStreamScanner(100),
                b("<r>" + "x".repeat(500) + "</r>"), 10, 200));
        assertThat(big.reason().code()).isEqualTo("too-large");
        List<Object> out = decode(() -> new XmlStreamScanner(100), b("<a/>junk<b/>"));
        assertThat(out.get(0)).isEqualTo(b("<a/>"));
        assertThat(singleError(out.subList(1, out.size())).reason().code()).isEqualTo("undecodable");
    }

    @Test
    void ackTemplates() {
        var result = new IngestOutcome.Stored(3, 2, 1, List.of(), List.of());
        assertThat(AckTemplate.parse("\\x06").render(result)).containsExactly(6);
        assertThat(new String(AckTemplate.parse("ACK {status} {stored}/{received} dup {duplicates} q {quarantined}{reason}\\r\\n")
                .render(result), StandardCharsets.ISO_8859_1)).isEqualTo("ACK 200 2/3 dup 1 q 0\r\n");
        var refused = new IngestOutcome.Quarantined(List.of(
                new IngestOutcome.Problem(0, Reason.MISSING_VRM, "no plate", 7L),
                new IngestOutcome.Problem(1, Reason.UNKNOWN_CAMERA, "who", 8L)), 2);
        assertThat(new String(AckTemplate.parse("NAK {status} {stored}/{received} q {quarantined} {reason}")
                .render(refused), StandardCharsets.ISO_8859_1)).isEqualTo("NAK 422 0/2 q 2 missing-vrm");
        var tooLarge = new IngestOutcome.Quarantined(List.of(new IngestOutcome.Problem(null, Reason.TOO_LARGE, "big", 9L)), null);
        assertThat(new String(AckTemplate.parse("NAK {status} {received} {reason}").render(tooLarge),
                StandardCharsets.ISO_8859_1)).isEqualTo("NAK 413 0 too-large");
        assertThat(AckTemplate.parse("")).isNull();
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    @Test
    void aConnectionClosedInsideAFrameGivesIncompleteFrameWithItsBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(decoder(DelimitedFrames.stxEtx(1000)));
        ch.writeInbound(Unpooled.wrappedBuffer(b("\u0002A\u0003\r\n\u000220241210143455 07 AB1")));
        assertThat(strings(drain(ch))).containsExactly("A");
        ch.finish(); // the sender closed
        FrameDecoder.FramingError e = singleError(drain(ch));
        assertThat(e.reason().code()).isEqualTo("incomplete-frame");
        assertThat(new String(e.sample(), StandardCharsets.UTF_8)).isEqualTo("20241210143455 07 AB1");
        assertThat(e.detail()).doesNotContain("AB1");
        ch.finishAndReleaseAll();
    }

    @Test
    void onlyNoiseOrBlanksLeftAtCloseIsNoIncompleteFrame() {
        EmbeddedChannel stx = new EmbeddedChannel(decoder(DelimitedFrames.stxEtx(1000)));
        stx.writeInbound(Unpooled.wrappedBuffer(b("\u0002A\u0003\r\nnoise")));
        stx.finish();
        assertThat(strings(drain(stx))).containsExactly("A");
        EmbeddedChannel json = new EmbeddedChannel(decoder(new JsonStreamScanner(1000)));
        json.writeInbound(Unpooled.wrappedBuffer(b("{\"a\":1}\r\n  ")));
        json.finish();
        assertThat(strings(drain(json))).containsExactly("{\"a\":1}");
        EmbeddedChannel lines = new EmbeddedChannel(decoder(DelimitedFrames.lines(1000)));
        lines.writeInbound(Unpooled.wrappedBuffer(b("one\ntwo")));
        lines.finish();
        List<Object> out = drain(lines);
        assertThat(strings(out.subList(0, 1))).containsExactly("one");
        assertThat(singleError(out.subList(1, out.size())).reason().code()).isEqualTo("incomplete-frame");
    }

    @Test
    void aFrameWithoutItsEndForTheFrameTimeoutGivesIncompleteFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(DelimitedFrames.stxEtx(1000), 1000, Duration.ofSeconds(30)));
        ch.writeInbound(Unpooled.wrappedBuffer(b("\u0002A\u0003\u00022024")));
        assertThat(strings(drain(ch))).containsExactly("A");
        ch.advanceTimeBy(20, java.util.concurrent.TimeUnit.SECONDS);
        ch.writeInbound(Unpooled.wrappedBuffer(b("1210"))); // a byte restarts the clock
        ch.advanceTimeBy(20, java.util.concurrent.TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(drain(ch)).isEmpty();
        ch.advanceTimeBy(11, java.util.concurrent.TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        FrameDecoder.FramingError e = singleError(drain(ch));
        assertThat(e.reason().code()).isEqualTo("incomplete-frame");
        assertThat(new String(e.sample(), StandardCharsets.UTF_8)).isEqualTo("20241210");
        ch.finish();
        assertThat(drain(ch)).as("one error, nothing more at close").isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aCompleteFrameStopsTheClock() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(DelimitedFrames.stxEtx(1000), 1000, Duration.ofSeconds(30)));
        ch.writeInbound(Unpooled.wrappedBuffer(b("\u0002AB")));
        ch.writeInbound(Unpooled.wrappedBuffer(b("C\u0003")));
        ch.advanceTimeBy(60, java.util.concurrent.TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(strings(drain(ch))).containsExactly("ABC");
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameEndingInTheNextReadIsCutWhereItsEndArrives() {
        // a multi-byte end split across reads, and a start sequence that restarts a frame
        assertFrames(() -> new DelimitedFrames(b("<<"), b(">>"), false, 100), b("x<<a<<b>>y>>z<<c>"  + ">"), "b", "c");
        // the limit counts from the latest start, as before: abandoned bytes do not count
        assertThat(strings(decode(() -> new DelimitedFrames(b("<"), b(">"), false, 5), b("<abcd<efgh>"))))
                .containsExactly("efgh");
    }

    @Test
    void theLimitHoldsToTheByte() {
        assertThat(strings(decode(() -> DelimitedFrames.lines(5), b("12345\r\n12345\n")))).containsExactly("12345", "12345");
        assertThat(singleError(decode(() -> DelimitedFrames.lines(5), b("123456\n"))).reason().code()).isEqualTo("too-large");
        assertThat(strings(decode(() -> DelimitedFrames.stxEtx(5), b("\u000212345\u0003")))).containsExactly("12345");
        assertThat(singleError(decode(() -> DelimitedFrames.stxEtx(5), b("\u0002123456\u0003"))).reason().code())
                .isEqualTo("too-large");
        FrameDecoder.FramingError partial = singleError(decode(() -> DelimitedFrames.stxEtx(5), b("\u0002123456")));
        assertThat(partial.sample()).isEqualTo(b("123456"));
        assertThat(partial.detail()).isEqualTo("frame exceeds the limit of 1000 bytes");
    }

    /** Netty's decoders report as exceptions what reaches the adapter; nothing of the payload is in their message. */
    @Test
    void aCorruptLengthFieldIsUndecodableWithoutPayloadInTheDetail() {
        FrameDecoder.FramingError e = singleError(decode(() -> new LengthFieldFrames(0, 1, ByteOrder.BIG_ENDIAN, -5, null, 100),
                lengthFrame(0, new byte[0], 1, ByteOrder.BIG_ENDIAN, 2, b("AB"))));
        assertThat(e.reason().code()).isEqualTo("undecodable");
        assertThat(e.detail()).doesNotContain("AB");
    }
}
