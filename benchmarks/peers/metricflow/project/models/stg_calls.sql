select * from {{ source('commerce', 'calls') }}
