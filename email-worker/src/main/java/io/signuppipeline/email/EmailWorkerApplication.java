package io.signuppipeline.email;

import jakarta.mail.util.StreamProvider;
import org.eclipse.angus.mail.util.MailStreamProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Sends each new user a welcome email.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EmailWorkerApplication {

    public static void main(String[] args) {
        nameTheMailStreamProvider();
        SpringApplication.run(EmailWorkerApplication.class, args);
    }

    /**
     * Jakarta Mail 2.1 finds its {@link StreamProvider} anew for every message, multipart and body
     * part it creates: a {@code ServiceLoader} scan of every jar in the application, unless a system
     * property names the class. In a burst that scan was 42% of this worker's CPU (a JFR profile of
     * 1,000 welcome emails); named, the lookup is one {@code Class.forName}. Angus Mail's provider is
     * the one the scan finds anyway. A value set on the command line is kept.
     */
    static void nameTheMailStreamProvider() {
        if (System.getProperty(StreamProvider.class.getName()) == null) {
            System.setProperty(StreamProvider.class.getName(), MailStreamProvider.class.getName());
        }
    }
}
