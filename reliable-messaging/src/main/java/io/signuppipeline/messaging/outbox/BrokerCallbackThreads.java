package io.signuppipeline.messaging.outbox;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives the broker connection a fixed set of threads for its callbacks, instead of Spring AMQP's
 * default: a cached pool that starts a thread whenever all of its threads are busy.
 *
 * <p>Spring AMQP runs every publisher confirm and every return on that pool, one task per message,
 * and a broker acknowledges a whole batch at once. Each acknowledgement of a batch of a hundred
 * therefore had a hundred threads started or woken, and the pipeline's services kept about 500
 * threads alive. A fixed set takes the same tasks from a queue, in the order the broker sent them:
 * a message's return (which the broker sends before its confirm) is always taken before the
 * confirm that waits for it. The same threads hand deliveries to the listeners, as the RabbitMQ
 * client's own default does (two per core).
 */
class BrokerCallbackThreads implements BeanPostProcessor {

    /** Idle threads end after this, so a closed application context leaves none behind. */
    private static final Duration KEEP_IDLE = Duration.ofSeconds(60);

    private final int threads;

    BrokerCallbackThreads(int threads) {
        this.threads = threads;
    }

    static BrokerCallbackThreads twoPerCore() {
        return new BrokerCallbackThreads(2 * Runtime.getRuntime().availableProcessors());
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof CachingConnectionFactory connectionFactory) {
            connectionFactory.setExecutor(pool(beanName + "-callbacks-"));
        }
        return bean;
    }

    ExecutorService pool(String namePrefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, KEEP_IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().name(namePrefix, 1).daemon().factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
