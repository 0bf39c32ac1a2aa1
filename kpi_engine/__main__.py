from kpi_engine.cli import main

main()
