select * from {{ source('commerce', 'sessions') }}
