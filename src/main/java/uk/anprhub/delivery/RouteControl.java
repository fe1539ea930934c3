package uk.anprhub.delivery;

/** Suspends/resumes the Camel route of a target, so Hawtio shows the state (no-op without Camel). */
public interface RouteControl {
    RouteControl NONE = new RouteControl() {
        @Override
        public void suspend(String target) {
        }

        @Override
        public void resume(String target) {
        }
    };

    void suspend(String target);

    void resume(String target);
}
