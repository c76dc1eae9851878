// Parses and validates Context Mapper CML files with Context Mapper's own DSL library (the
// Xtext grammar, linker and validators of context-mapper-dsl): prints every error and exits 1
// when a file has one. Warnings are printed, not counted.
//   java -cp "$(cat target/cml/classpath.txt)" scripts/cml/CmlCheck.java a.cml [b.cml …]
import java.io.File;
import java.util.List;

import org.contextmapper.dsl.cml.CMLResource;
import org.contextmapper.dsl.standalone.ContextMapperStandaloneSetup;
import org.contextmapper.dsl.standalone.StandaloneContextMapperAPI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;

public class CmlCheck {
    public static void main(String[] args) {
        StandaloneContextMapperAPI api = ContextMapperStandaloneSetup.getStandaloneAPI();
        int errors = 0;
        for (String path : args) {
            CMLResource cml = api.loadCML(new File(path));
            XtextResource resource = cml.getXtextResource();
            for (Resource.Diagnostic d : resource.getErrors()) {
                System.out.println(path + ":" + d.getLine() + ":" + d.getColumn() + ": syntax error: " + d.getMessage());
                errors++;
            }
            List<Issue> issues = resource.getResourceServiceProvider().getResourceValidator()
                    .validate(resource, CheckMode.ALL, CancelIndicator.NullImpl);
            for (Issue issue : issues) {
                boolean error = issue.getSeverity() == Severity.ERROR;
                System.out.println(path + ":" + issue.getLineNumber() + ":" + issue.getColumn() + ": "
                        + (error ? "error" : issue.getSeverity().name().toLowerCase()) + ": " + issue.getMessage());
                if (error) {
                    errors++;
                }
            }
            if (cml.getContextMappingModel() == null) {
                System.out.println(path + ": no model");
                errors++;
            }
        }
        System.out.println(errors == 0 ? "CML ok: " + args.length + " files" : errors + " errors");
        System.exit(errors == 0 ? 0 : 1);
    }
}
