package io.signuppipeline.email;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.eclipse.angus.mail.util.MailStreamProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MailStreamProviderTest {

    private static final String PROPERTY = StreamProvider.class.getName();
    private static final String SERVICE_FILE = "META-INF/services/" + PROPERTY;

    private final ClassLoader original = Thread.currentThread().getContextClassLoader();
    private String before;

    @BeforeEach
    void forgetTheProperty() {
        before = System.clearProperty(PROPERTY);
    }

    @AfterEach
    void restore() {
        Thread.currentThread().setContextClassLoader(original);
        if (before == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, before);
        }
    }

    @Test
    void anEmailsPartsAreBuiltWithoutScanningTheClasspath() throws Exception {
        EmailWorkerApplication.nameTheMailStreamProvider();
        RecordingLoader loader = new RecordingLoader(original);
        Thread.currentThread().setContextClassLoader(loader);

        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(new MimeBodyPart());

        assertThat(loader.scanned).as("service files looked up while building a multipart").isEmpty();
        assertThat(StreamProvider.provider()).isInstanceOf(MailStreamProvider.class);
    }

    @Test
    void withoutTheNameEveryPartScansTheClasspath() throws Exception {
        RecordingLoader loader = new RecordingLoader(original);
        Thread.currentThread().setContextClassLoader(loader);

        new MimeMultipart("alternative").addBodyPart(new MimeBodyPart());

        // What the name saves: Jakarta Mail's own lookup, once per part.
        assertThat(loader.scanned).contains(SERVICE_FILE);
    }

    @Test
    void aProviderNamedOnTheCommandLineIsKept() {
        System.setProperty(PROPERTY, "com.example.OtherStreamProvider");

        EmailWorkerApplication.nameTheMailStreamProvider();

        assertThat(System.getProperty(PROPERTY)).isEqualTo("com.example.OtherStreamProvider");
    }

    /** Delegates everything, and notes which resources were searched for on the whole class path. */
    private static final class RecordingLoader extends ClassLoader {

        final List<String> scanned = new ArrayList<>();

        RecordingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            scanned.add(name);
            return super.getResources(name);
        }
    }
}
