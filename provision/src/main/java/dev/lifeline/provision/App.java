package dev.lifeline.provision;

import com.pulumi.Pulumi;

/** The Pulumi program: {@code pulumi up} from the repository root runs this (see the root Pulumi.yaml). */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        Pulumi.run(ctx -> LifelineBastion.define(ctx, PulumiStackValues.from(ctx)));
    }
}
