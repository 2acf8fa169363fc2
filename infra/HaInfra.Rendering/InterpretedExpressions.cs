using System.Linq.Expressions;
using HandlebarsDotNet;
using HandlebarsDotNet.Features;

namespace HaInfra.Rendering;

/// <summary>
/// Makes Handlebars interpret its compiled templates instead of emitting IL: compiling a template to IL and JIT-ing
/// it costs tens of milliseconds per template, on every run of a short-lived CLI (Pulumi runs `synth` on each
/// preview), while interpreting our few small renders costs well under a millisecond.
/// </summary>
internal sealed class InterpretedExpressions : IFeatureFactory, IFeature, IExpressionCompiler
{
    private ICompiledHandlebarsConfiguration? _configuration;

    public IFeature CreateFeature() => this;

    public void OnCompiling(ICompiledHandlebarsConfiguration configuration)
    {
        _configuration = configuration;
        configuration.ExpressionCompiler = this;
    }

    public void CompilationCompleted()
    {
    }

    T IExpressionCompiler.Compile<T>(Expression<T> expression)
    {
        // The middlewares the default compiler applies first, so templates behave the same.
        if (_configuration is not null)
        {
            foreach (var middleware in _configuration.ExpressionMiddlewares)
            {
                expression = middleware.Invoke(expression);
            }
        }

        return (T)(object)expression.Compile(preferInterpretation: true);
    }
}
