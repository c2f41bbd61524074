package io.autoheal.discovery;

import io.quarkus.qute.EvalSectionHelper;
import io.quarkus.qute.Expression;
import io.quarkus.qute.FragmentSectionHelper;
import io.quarkus.qute.IfSectionHelper;
import io.quarkus.qute.IncludeSectionHelper;
import io.quarkus.qute.InsertSectionHelper;
import io.quarkus.qute.LoopSectionHelper;
import io.quarkus.qute.ResolutionContext;
import io.quarkus.qute.ResultNode;
import io.quarkus.qute.Scope;
import io.quarkus.qute.SectionBlock;
import io.quarkus.qute.SectionHelper;
import io.quarkus.qute.SectionHelperFactory;
import io.quarkus.qute.SetSectionHelper;
import io.quarkus.qute.WhenSectionHelper;
import io.quarkus.qute.WithSectionHelper;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Qute's default sections, each wrapped so that a rendering pays into its {@link RenderBudget} (an attribute of the
 * template instance): every block a section executes (each loop iteration, each branch taken) costs one step per node
 * it produces, and a loop's size is checked before Qute allocates for it. Everything a template can repeat goes through
 * a section, so the count bounds the rendering's memory and time.
 */
final class BoundedSections {
    static final String BUDGET = "autoheal.render-budget";

    private BoundedSections() {
    }

    /** The sections of Qute's addDefaultSectionHelpers(), bounded. */
    static List<SectionHelperFactory<?>> defaults() {
        return List.of(new Bounded(new IfSectionHelper.Factory()), new Bounded(new LoopSectionHelper.Factory()),
                new Bounded(new WithSectionHelper.Factory()), new Bounded(new IncludeSectionHelper.Factory()),
                new Bounded(new InsertSectionHelper.Factory()), new Bounded(new SetSectionHelper.Factory()),
                new Bounded(new WhenSectionHelper.Factory()), new Bounded(new EvalSectionHelper.Factory()),
                new Bounded(new FragmentSectionHelper.Factory()));
    }

    private static RenderBudget budget(SectionHelper.SectionResolutionContext context) {
        Object b = context.resolutionContext().getAttribute(BUDGET);
        if (b instanceof RenderBudget budget) {
            return budget;
        }
        throw new IllegalStateException("a discovery template is rendered only through TemplateRenderer, with its budget");
    }

    /** A factory that delegates everything and wraps the helpers it makes. */
    private record Bounded(SectionHelperFactory<?> delegate) implements SectionHelperFactory<SectionHelper> {
        @Override
        public List<String> getDefaultAliases() {
            return delegate.getDefaultAliases();
        }

        @Override
        public ParametersInfo getParameters() {
            return delegate.getParameters();
        }

        @Override
        public List<String> getBlockLabels() {
            return delegate.getBlockLabels();
        }

        @Override
        public boolean cacheFactoryConfig() {
            return delegate.cacheFactoryConfig();
        }

        @Override
        public boolean treatUnknownSectionsAsBlocks() {
            return delegate.treatUnknownSectionsAsBlocks();
        }

        @Override
        public Scope initializeBlock(Scope previousScope, BlockInfo block) {
            return delegate.initializeBlock(previousScope, block);
        }

        @Override
        public MissingEndTagStrategy missingEndTagStrategy() {
            return delegate.missingEndTagStrategy();
        }

        @Override
        public SectionHelper initialize(SectionInitContext context) {
            Expression iterable = delegate instanceof LoopSectionHelper.Factory ? context.getExpression("iterable") : null;
            List<SectionBlock> blocks = context.getBlocks();
            int mainNodes = blocks.isEmpty() || blocks.get(0).nodes == null ? 0 : blocks.get(0).nodes.size();
            return new Counted(delegate.initialize(context), iterable, mainNodes);
        }
    }

    /** A section whose block executions are counted; a loop's iterable is measured before the loop starts. */
    private record Counted(SectionHelper delegate, Expression iterable, int mainNodes) implements SectionHelper {
        @Override
        public CompletionStage<ResultNode> resolve(SectionResolutionContext context) {
            RenderBudget budget = budget(context);
            budget.steps(1);
            SectionHelper.SectionResolutionContext counted = new CountingContext(context, budget, mainNodes);
            if (iterable == null) {
                return delegate.resolve(counted);
            }
            return context.resolutionContext().evaluate(iterable).thenCompose(value -> {
                budget.loopOf(size(value));
                return delegate.resolve(counted);
            });
        }
    }

    /** How many iterations a loop over this value makes (what Qute's LoopSectionHelper allocates for). */
    static long size(Object value) {
        if (value instanceof Integer i) {
            return Math.max(0, i);
        }
        if (value instanceof Long l) {
            return Math.max(0, l);
        }
        if (value instanceof Collection<?> c) {
            return c.size();
        }
        if (value instanceof Map<?, ?> m) {
            return m.size();
        }
        if (value != null && value.getClass().isArray()) {
            return Array.getLength(value);
        }
        return 0; // an Iterable, Iterator or Stream: counted per iteration
    }

    /** Delegates; every block execution costs its node count (no block given: the main block). */
    private record CountingContext(SectionHelper.SectionResolutionContext delegate, RenderBudget budget, int mainNodes)
            implements SectionHelper.SectionResolutionContext {
        @Override
        public CompletionStage<Map<String, Object>> evaluate(Map<String, Expression> parameters) {
            return delegate.evaluate(parameters);
        }

        @Override
        public CompletionStage<Object> evaluate(Expression expression) {
            return delegate.evaluate(expression);
        }

        @Override
        public ResolutionContext resolutionContext() {
            return delegate.resolutionContext();
        }

        @Override
        public ResolutionContext newResolutionContext(Object data, Map<String, SectionBlock> extendingBlocks) {
            return delegate.newResolutionContext(data, extendingBlocks);
        }

        @Override
        public CompletionStage<ResultNode> execute() {
            return execute(null, delegate.resolutionContext());
        }

        @Override
        public CompletionStage<ResultNode> execute(ResolutionContext context) {
            return execute(null, context);
        }

        @Override
        public CompletionStage<ResultNode> execute(SectionBlock block, ResolutionContext context) {
            budget.steps(1 + (block == null ? mainNodes : block.nodes == null ? 0 : block.nodes.size()));
            return delegate.execute(block, context);
        }

        @Override
        public Map<String, Object> getParameters() {
            return delegate.getParameters();
        }
    }
}
