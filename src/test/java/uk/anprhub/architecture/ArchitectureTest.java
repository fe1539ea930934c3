package uk.anprhub.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of docs/architecture.md, held by the compiled classes: packages form no cycle, and each layer
 * uses only the layers below it. A new package must be placed in a layer here, or the layer rule fails for it.
 */
class ArchitectureTest {

    private static final JavaClasses HUB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("uk.anprhub");

    @Test
    void noPackageIsInACycle() {
        slices().matching("uk.anprhub.(**)").should().beFreeOfCycles().check(HUB);
    }

    @Test
    void noFeatureIsInACycle() {
        slices().matching("uk.anprhub.(*)..").should().beFreeOfCycles().check(HUB);
    }

    @Test
    void layersUseOnlyTheLayersBelow() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("uk.anprhub..")
                .layer("Foundation").definedBy("uk.anprhub.core..", "uk.anprhub.message..", "uk.anprhub.model..",
                        "uk.anprhub.descriptor..")
                .layer("Sources").definedBy("uk.anprhub.camera..", "uk.anprhub.connector..")
                .layer("Normalisation").definedBy("uk.anprhub.normalise..")
                .layer("Storage").definedBy("uk.anprhub.store..")
                .layer("Governance").definedBy("uk.anprhub.audit..", "uk.anprhub.access..")
                .layer("Features").definedBy("uk.anprhub.ingest..", "uk.anprhub.delivery..", "uk.anprhub.hotlist..",
                        "uk.anprhub.alert..", "uk.anprhub.camerahealth..", "uk.anprhub.search..",
                        "uk.anprhub.national..", "uk.anprhub.console..", "uk.anprhub.ui..")
                .layer("Edges").definedBy("uk.anprhub.transport..", "uk.anprhub.ops..", "uk.anprhub.metrics..",
                        "uk.anprhub.simulator..")
                .layer("Entry").definedBy("uk.anprhub", "uk.anprhub.cli..")
                .whereLayer("Foundation").mayNotAccessAnyLayer()
                .whereLayer("Sources").mayOnlyAccessLayers("Foundation")
                .whereLayer("Normalisation").mayOnlyAccessLayers("Foundation", "Sources")
                .whereLayer("Storage").mayOnlyAccessLayers("Foundation", "Normalisation")
                .whereLayer("Governance").mayOnlyAccessLayers("Foundation", "Storage")
                .whereLayer("Features").mayOnlyAccessLayers("Foundation", "Sources", "Normalisation", "Storage",
                        "Governance")
                .whereLayer("Edges").mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Entry").mayNotBeAccessedByAnyLayer()
                .ensureAllClassesAreContainedInArchitecture()
                .check(HUB);
    }
}
