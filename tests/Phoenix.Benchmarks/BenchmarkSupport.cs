using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Phoenix.Benchmarks;

/// <summary>A short in-process job plus the benchmark's own figure columns.</summary>
public abstract class InProcessShortRunConfig : ManualConfig
{
    protected InProcessShortRunConfig(params IColumn[] columns)
    {
        // In-process: no generated project to build, so it runs from any artifacts path on a busy shared machine.
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(columns);
    }
}

/// <summary>A numeric custom column: subclasses say only what it is called and how its value is computed.</summary>
public abstract class FigureColumn(string columnName, string legend) : IColumn
{
    public string Id => GetType().Name;

    public string ColumnName => columnName;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public abstract string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
