using System.Text;

namespace HaInfra.Synthesis.Checks;

/// <summary>
/// Where a walk of the program tree is ("resources.db1.properties.tags[0]"), kept as segments and turned into text
/// only when a check reports a problem: building every node's path as a string cost more than all the checks.
/// Valid only during the visit it is passed to.
/// </summary>
public sealed class TreePath
{
    private readonly List<(string? Key, int Index)> _segments = [];

    internal void PushKey(string key) => _segments.Add((key, -1));

    internal void PushIndex(int index) => _segments.Add((null, index));

    internal void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, index) in _segments)
        {
            if (key is null)
            {
                text.Append('[').Append(index).Append(']');
            }
            else
            {
                (text.Length > 0 ? text.Append('.') : text).Append(key);
            }
        }

        return text.ToString();
    }
}
