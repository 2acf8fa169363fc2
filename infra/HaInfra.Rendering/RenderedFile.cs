namespace HaInfra.Rendering;

/// <summary>A generated file: where it goes (relative to an output root), its text and its template.</summary>
public sealed record RenderedFile(string RelativePath, string Text, string Template);
