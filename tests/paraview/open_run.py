# ParaView's own check of a run folder (issue 10): open disc.pvd as a user would, and require a
# multiblock with both blocks, the disc and the events, at the first and at the last time step.
# Run with Debian's ParaView under a virtual display:
#     xvfb-run -a pvpython tests/paraview/open_run.py RUN_FOLDER
import sys

from paraview.simple import OpenDataFile, UpdatePipeline, servermanager

folder = sys.argv[1]
reader = OpenDataFile(folder + "/disc.pvd")
times = list(reader.TimestepValues) if reader.TimestepValues else [0.0]
for t in (times[0], times[-1]):
    UpdatePipeline(time=t, proxy=reader)
    data = servermanager.Fetch(reader)
    if data.GetClassName() not in ("vtkMultiBlockDataSet", "vtkPartitionedDataSetCollection"):
        sys.exit("at time %g: expected a multiblock, got %s" % (t, data.GetClassName()))
    blocks = data.GetNumberOfBlocks() if hasattr(data, "GetNumberOfBlocks") else data.GetNumberOfPartitionedDataSets()
    if blocks != 2:
        sys.exit("at time %g: expected 2 blocks (disc, events), got %d" % (t, blocks))
    disc = data.GetBlock(0)
    if disc is None or disc.GetNumberOfCells() == 0:
        sys.exit("at time %g: the disc block is empty" % t)
print("ParaView opened %s: %d time steps, 2 blocks at the first and last" % (folder, len(times)))
