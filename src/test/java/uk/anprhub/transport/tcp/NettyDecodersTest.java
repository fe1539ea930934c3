package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.json.JsonObjectDecoder;
import io.netty.handler.codec.xml.XmlFrameDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.anprhub.transport.tcp.FrameDecoderTest.assertFrames;
import static uk.anprhub.transport.tcp.FrameDecoderTest.b;
import static uk.anprhub.transport.tcp.FrameDecoderTest.decode;
import static uk.anprhub.transport.tcp.FrameDecoderTest.singleError;

/**
 * Why three of Netty's frame decoders are not used as they are: each test shows Netty's decoder failing on a stream
 * that cameras send and the hub's framing handling it. Should a Netty release fix one, its test fails here, and the
 * hub's own code for it can go.
 */
class NettyDecodersTest {

    /** Records whether {@code decode} threw, so an adapter wrapping it could have taken the sample. */
    private static final class Watched extends LineBasedFrameDecoder {
        boolean thrown;

        Watched() {
            super(10, true, true);
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            try {
                return super.decode(ctx, in);
            } catch (TooLongFrameException e) {
                thrown = true;
                throw e;
            }
        }
    }

    @Test
    void nettysLineDecoderReportsATooLongLineDownThePipelineWithItsBytesGone() {
        Watched line = new Watched();
        EmbeddedChannel ch = new EmbeddedChannel(line);
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(b("x".repeat(20)))))
                .isInstanceOf(TooLongFrameException.class);
        assertThat(line.thrown).as("fired to the next handler, not thrown to the caller").isFalse();
        // DelimitedFrames on a single LF throws, and the adapter quarantines the line's first bytes
        FrameDecoder.FramingError e = singleError(decode(() -> DelimitedFrames.lines(10), b("x".repeat(20))));
        assertThat(e.sample()).isEqualTo(b("x".repeat(20)));
    }

    /** What a Netty decoder gives for the stream delivered whole: frames, or the exception it ends with. */
    private static List<String> netty(ChannelHandler decoder, byte[] stream) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        List<String> out = new ArrayList<>();
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(stream));
        } catch (RuntimeException e) {
            out.add(e.getClass().getSimpleName());
        }
        for (Object o; (o = ch.readInbound()) != null; ) {
            ByteBuf frame = (ByteBuf) o;
            out.add(0, frame.toString(StandardCharsets.UTF_8)); // frames came before the exception
            frame.release();
        }
        ch.finishAndReleaseAll();
        return out;
    }

    @Test
    void nettysJsonDecoderRefusesSeparatorsCamerasSendAndLimitsTheBufferNotTheFrame() {
        for (String separator : new String[]{",", "\u0000", "\uFEFF"}) {
            byte[] stream = b("{\"a\":1}" + separator + "{\"b\":2}");
            assertThat(netty(new JsonObjectDecoder(1000), stream)).as(separator).contains("CorruptedFrameException");
            assertFrames(() -> new JsonStreamScanner(1000), stream, "{\"a\":1}", "{\"b\":2}");
        }
        byte[] three = b("{\"a\":1}{\"b\":2}{\"c\":3}"); // 7 bytes each, 21 in all, limit 10
        assertThat(netty(new JsonObjectDecoder(10), three)).contains("TooLongFrameException");
        assertFrames(() -> new JsonStreamScanner(10), three, "{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void nettysXmlDecoderMisframesValidDocuments() {
        String[] documents = {
                "<r a='1>2'>x</r>",                                 // '>' in a single-quoted attribute
                "<r><?pi data?>x</r>",                              // a processing instruction in the body
                "<!DOCTYPE r [<!ELEMENT r ANY>]><r>x</r>",          // a DOCTYPE with an internal subset
        };
        for (String d : documents) {
            byte[] stream = b(d + "\n<s/>");
            assertThat(netty(new XmlFrameDecoder(1000), stream)).as(d).isNotEqualTo(List.of(d, "<s/>"));
            assertFrames(() -> new XmlStreamScanner(1000), stream, d, "<s/>");
        }
        byte[] bom = b("<a/>\uFEFF<b/>");
        assertThat(netty(new XmlFrameDecoder(1000), bom)).contains("CorruptedFrameException");
        assertFrames(() -> new XmlStreamScanner(1000), bom, "<a/>", "<b/>");
        byte[] three = b("<a>1</a><b>2</b><c>3</c>"); // 8 bytes each, 24 in all, limit 10
        assertThat(netty(new XmlFrameDecoder(10), three)).contains("TooLongFrameException");
        assertFrames(() -> new XmlStreamScanner(10), three, "<a>1</a>", "<b>2</b>", "<c>3</c>");
    }
}
