using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

internal static class RenderFixture
{
    public static TemplateRenderer Renderer() => new(TemplateCatalog.Load(RepoRoot.Templates));

    public static Topology Stack(string name)
    {
        var result = TopologyLoader.LoadStack(RepoRoot.Stacks, name);
        return result.Topology ?? throw new InvalidOperationException(result.Describe());
    }

    /// <summary>The prod stack as a MySQL 8.4 topology, to cover the MySQL template.</summary>
    public static Topology MySqlProd() => Stack("prod") with { Flavor = ServerFlavor.MySql, Version = ServerVersion.Parse("8.4"), Stack = "prod-mysql" };
}
