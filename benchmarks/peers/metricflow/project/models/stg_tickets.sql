select * from {{ source('commerce', 'tickets') }}
