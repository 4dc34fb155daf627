package io.signuppipeline.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a request body completely before anyone parses it: it may be at most
 * {@code signup.api.max-request-body} long, and a JSON body must be well-formed UTF-8.
 *
 * <p>Failures surface as {@link BodyTooLarge} or {@link InvalidUtf8} when the body is first read,
 * inside Spring MVC, so the exception handler answers them like every other problem. Counting bytes
 * as they arrive also catches chunked bodies, which declare no length, and a length that lies. The
 * UTF-8 check is ours because Jackson's decoder accepts some invalid sequences, such as overlong
 * encodings, that other readers of the same bytes would decode differently.
 */
@Component
class RequestBodyFilter extends OncePerRequestFilter {

    private final long limit;

    RequestBodyFilter(ApiProperties properties) {
        this.limit = properties.maxRequestBody().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new CheckedBodyRequest(request, limit), response);
    }

    private static final class CheckedBodyRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream body;

        CheckedBodyRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new BufferedBody(readChecked());
            }
            return body;
        }

        private byte[] readChecked() throws IOException {
            if (getContentLengthLong() > limit) {
                throw new BodyTooLarge(limit);
            }
            InputStream in = super.getInputStream();
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw new BodyTooLarge(limit);
            }
            if (isJson()) {
                requireUtf8(bytes);
            }
            return bytes;
        }

        private boolean isJson() {
            try {
                MediaType type = MediaType.parseMediaType(getContentType());
                return type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
            } catch (RuntimeException e) {
                return false;
            }
        }

        private static void requireUtf8(byte[] bytes) throws InvalidUtf8 {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw new InvalidUtf8();
            }
        }
    }

    private static final class BufferedBody extends ServletInputStream {

        private final ByteArrayInputStream bytes;

        BufferedBody(byte[] body) {
            this.bytes = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("The body is already buffered; read it synchronously.");
        }
    }
}
