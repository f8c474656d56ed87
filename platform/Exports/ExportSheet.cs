namespace Mep.Exports;

/// <summary>An <see cref="ExportTable{TRow}"/> bound to its rows: one sheet of a workbook, or the whole of a CSV. Its rows are read once.</summary>
public sealed class ExportSheet
{
    /// <summary>Excel's longest sheet name.</summary>
    public const int MaxNameLength = 31;

    internal ExportSheet(string name, IReadOnlyList<ExportColumn> columns, IAsyncEnumerable<object?[]> rows) => (Name, Columns, Rows) = (name, columns, rows);

    public string Name { get; }

    public IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>Per row, a cell per column: null, or the <see cref="string"/>, <see cref="decimal"/>, <see cref="int"/> or <see cref="DateOnly"/> of its kind.</summary>
    internal IAsyncEnumerable<object?[]> Rows { get; }

    /// <summary>A name Excel takes for a sheet: 1 to 31 characters, none of : \ / ? * [ ], not starting or ending with an apostrophe.</summary>
    internal static string CheckName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.IndexOfAny([':', '\\', '/', '?', '*', '[', ']']) < 0 && name[0] != '\'' && name[^1] != '\''
            ? name
            : throw new ArgumentException($"\"{name}\" is not a name Excel takes for a sheet.", nameof(name));
}
